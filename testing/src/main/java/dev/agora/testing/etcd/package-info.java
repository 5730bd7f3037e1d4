/**
 * A real etcd for integration tests: Debian's {@code etcd-server} binary ({@code /usr/bin/etcd},
 * installed by {@code scripts/install-prereqs.sh}) started on loopback with ephemeral ports and a
 * temporary data directory.
 *
 * <p>{@link dev.agora.testing.etcd.EtcdProcess} is the launcher: it starts one single-member
 * cluster, waits until {@code /health} answers, and can stop it, kill it with SIGKILL and restart
 * it on the same data directory and ports, which is what failure tests need. Its output goes to a
 * log file whose tail is quoted in every failure. {@link dev.agora.testing.etcd.EtcdExtension} is
 * the JUnit 5 extension on top: one process per test class. A missing binary fails the test with a
 * sentence saying how to install it; these tests are never skipped.
 */
package dev.agora.testing.etcd;
