package io.jointly.psi.pipeline.internal;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** Wall time per stage of a run, in the order the stages first ran; thread-safe. */
public final class StageClock {
  private final Map<String, Long> nanos = new LinkedHashMap<>();
  private String current;
  private long since;

  /** Ends the current stage (if any) and starts {@code stage}. */
  public synchronized void start(String stage) {
    stop();
    current = stage;
    since = System.nanoTime();
  }

  /** Ends the current stage. */
  public synchronized void stop() {
    if (current != null) {
      nanos.merge(current, System.nanoTime() - since, Long::sum);
      current = null;
    }
  }

  /** The stages so far (the running one up to now). */
  public synchronized Map<String, Duration> stages() {
    Map<String, Duration> out = new LinkedHashMap<>();
    nanos.forEach((k, v) -> out.put(k, Duration.ofNanos(v)));
    if (current != null) {
      out.merge(current, Duration.ofNanos(System.nanoTime() - since), Duration::plus);
    }
    return Collections.unmodifiableMap(out);
  }
}
