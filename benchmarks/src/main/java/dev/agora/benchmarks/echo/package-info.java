/**
 * The bare grpc-java echo that serving results are divided by: the {@link
 * dev.agora.benchmarks.echo.BytesEcho} service, used in-process by the JMH baseline and run as its
 * own process by {@link dev.agora.benchmarks.echo.EchoServerMain} for the load generator.
 */
package dev.agora.benchmarks.echo;
