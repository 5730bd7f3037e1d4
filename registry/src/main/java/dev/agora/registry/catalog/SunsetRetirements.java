package dev.agora.registry.catalog;

import dev.agora.common.error.AgoraException;
import dev.agora.proto.errors.v1.ErrorReason;
import dev.agora.proto.registry.v1.ModelVersion;
import dev.agora.proto.registry.v1.Stage;
import dev.agora.registry.audit.AuditTrail;
import dev.agora.registry.store.KeyValue;
import dev.agora.registry.store.MetadataStore;
import dev.agora.registry.store.RangeResult;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retires DEPRECATED versions once their sunset has come: at start and then every {@link
 * GovernanceConfig#sunsetCheckInterval()}, it looks for versions whose {@code sunset_time} is now
 * or earlier and retires each through {@link VersionLifecycle#retire}, the path of {@code
 * RetireVersion}. The stage change, the model's latest published version, the audit event (by
 * {@value #ACTOR}) and so the change feed event are those of a manual retirement.
 *
 * <p>Every registry replica runs one. When two retire the same version at once, the store's
 * compare-and-swap lets one win; the other finds the version RETIRED and moves on, so a version is
 * retired (and audited) once. A check that fails (the store unavailable) is logged and repeated at
 * the next interval; it never stops the schedule.
 */
public final class SunsetRetirements implements AutoCloseable {
  /** The actor the audit log records for a retirement at a sunset. */
  public static final String ACTOR = "system:sunset";

  private static final Logger log = LoggerFactory.getLogger(SunsetRetirements.class);
  private static final int SCAN_BATCH = 500;
  private static final String VERSIONS_SEGMENT = "versions";

  /** What a retirement finds when another replica or a person retired the version first. */
  private static final Set<ErrorReason> ALREADY_GONE =
      EnumSet.of(
          ErrorReason.LIFECYCLE_VIOLATION,
          ErrorReason.VERSION_NOT_FOUND,
          ErrorReason.MODEL_NOT_FOUND);

  private final MetadataStore store;
  private final VersionLifecycle lifecycle;
  private final InstantSource clock;
  private final Duration interval;
  private final ScheduledExecutorService scheduler;

  private SunsetRetirements(
      MetadataStore store,
      VersionLifecycle lifecycle,
      InstantSource clock,
      Duration interval,
      ScheduledExecutorService scheduler) {
    this.store = store;
    this.lifecycle = lifecycle;
    this.clock = clock;
    this.interval = interval;
    this.scheduler = scheduler;
  }

  /**
   * Starts checking on {@code scheduler}: at once, then {@code config.sunsetCheckInterval()} after
   * each check ends. The scheduler belongs to the returned object from now on, which shuts it down
   * on {@link #close}.
   *
   * @param config the sunset check interval (and the notice period of the lifecycle it uses)
   * @param clock what "now" is when a sunset is compared, and the time of the retirements
   */
  public static SunsetRetirements start(
      MetadataStore store,
      GovernanceConfig config,
      InstantSource clock,
      ScheduledExecutorService scheduler) {
    AuditTrail audit = new AuditTrail(() -> ACTOR);
    ModelCatalog models = new ModelCatalog(store, clock, audit);
    VersionRepository versions = new VersionRepository(store, models, clock, audit);
    VersionLifecycle lifecycle =
        new VersionLifecycle(store, models, versions, config, clock, audit);
    SunsetRetirements retirements =
        new SunsetRetirements(store, lifecycle, clock, config.sunsetCheckInterval(), scheduler);
    scheduler.scheduleWithFixedDelay(
        retirements::retireDueQuietly,
        0,
        config.sunsetCheckInterval().toMillis(),
        TimeUnit.MILLISECONDS);
    return retirements;
  }

  /**
   * Retires every DEPRECATED version whose sunset is now or earlier; the schedule calls this.
   *
   * @return the versions this call retired, as stored; not those another writer retired first
   * @throws AgoraException {@code STORE_UNAVAILABLE} when the store cannot be read or written,
   *     {@code CONFLICT} when concurrent writers keep changing a version's model
   */
  public List<ModelVersion> retireDue() {
    Instant now = clock.instant();
    List<ModelVersion> retired = new ArrayList<>();
    for (ModelVersion due : pastSunset(now)) {
      retire(due).ifPresent(retired::add);
    }
    return retired;
  }

  private void retireDueQuietly() {
    try {
      retireDue();
    } catch (AgoraException e) {
      log.warn(
          "could not retire the versions past their sunset ({}: {}); trying again in {}",
          e.reason(),
          e.getMessage(),
          interval);
    } catch (RuntimeException e) {
      log.warn("could not retire the versions past their sunset; trying again in {}", interval, e);
    }
  }

  private Optional<ModelVersion> retire(ModelVersion due) {
    try {
      ModelVersion retired = lifecycle.retire(due.getModel(), due.getVersion());
      log.info(
          "retired {} {}: its sunset {} has passed",
          due.getModel(),
          due.getVersion(),
          StoredRecords.instant(due.getSunsetTime()));
      return Optional.of(retired);
    } catch (AgoraException e) {
      if (!ALREADY_GONE.contains(e.reason())) {
        throw e;
      }
      log.debug(
          "{} {} was retired by another writer first: {}",
          due.getModel(),
          due.getVersion(),
          e.getMessage());
      return Optional.empty();
    }
  }

  /** The DEPRECATED versions whose sunset is {@code now} or earlier, in key order. */
  private List<ModelVersion> pastSunset(Instant now) {
    List<ModelVersion> due = new ArrayList<>();
    String cursor = null;
    RangeResult page;
    do {
      page = store.range(CatalogKeys.MODELS, cursor, SCAN_BATCH);
      for (KeyValue kv : page.kvs()) {
        if (isVersionKey(kv.key())) {
          ModelVersion version = StoredRecords.version(kv);
          if (isPastSunset(version, now)) {
            due.add(version);
          }
        }
      }
      cursor = page.kvs().isEmpty() ? cursor : page.lastKey();
    } while (page.more());
    return due;
  }

  private static boolean isPastSunset(ModelVersion version, Instant now) {
    return version.getStage() == Stage.STAGE_DEPRECATED
        && version.hasSunsetTime()
        && !StoredRecords.instant(version.getSunsetTime()).isAfter(now);
  }

  /** Whether a key under {@link CatalogKeys#MODELS} is {@code {model}/versions/{version}}. */
  private static boolean isVersionKey(String key) {
    String[] segments = key.substring(CatalogKeys.MODELS.length()).split("/", -1);
    return segments.length == 3
        && segments[1].equals(VERSIONS_SEGMENT)
        && !segments[0].isEmpty()
        && !segments[2].isEmpty();
  }

  /** Stops the schedule, waiting briefly for a check in progress to end. */
  @Override
  public void close() {
    scheduler.shutdown();
    try {
      if (!scheduler.awaitTermination(10, TimeUnit.SECONDS)) {
        scheduler.shutdownNow();
      }
    } catch (InterruptedException e) {
      scheduler.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}
