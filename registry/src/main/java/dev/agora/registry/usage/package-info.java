/**
 * Inference usage for cost allocation. Inference servers report counts with {@code
 * UsageService.ReportUsage}; {@link dev.agora.registry.usage.UsageLedger} adds them, in one store
 * transaction per report guarded by the mod revision of every record it touches, to one record per
 * UTC day, model, version and consumer team, and keeps each model's last call time (which the
 * curation query reads through {@link dev.agora.registry.catalog.ModelLastCalls}). {@code
 * QueryUsage} answers the cost-allocation report, showing each caller only the records of its own
 * team's calls and of its team's models ({@code UsageVisibility}).
 */
package dev.agora.registry.usage;
