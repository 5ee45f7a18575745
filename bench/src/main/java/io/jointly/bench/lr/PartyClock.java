package io.jointly.bench.lr;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;

/**
 * CPU time of the two parties running in this JVM, told apart by thread name: every thread whose
 * name starts with {@code bank} belongs to the bank, {@code partner} to the partner (the runners
 * here name their party threads and executor threads so). The process total also counts the JVM's
 * own threads (JIT compilers, garbage collector), which serve both parties.
 */
final class PartyClock {
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
  private static final java.lang.management.OperatingSystemMXBean OS = ManagementFactory.getOperatingSystemMXBean();

  private PartyClock() {}

  /**
   * A reading.
   *
   * @param wallNanos {@link System#nanoTime()}
   * @param bankCpuNanos CPU of the bank's live threads
   * @param partnerCpuNanos CPU of the partner's live threads
   * @param processCpuNanos CPU of the whole process ({@code -1} if the JVM cannot tell)
   */
  record Reading(long wallNanos, long bankCpuNanos, long partnerCpuNanos, long processCpuNanos) {
    Reading minus(Reading earlier) {
      return new Reading(
          wallNanos - earlier.wallNanos,
          bankCpuNanos - earlier.bankCpuNanos,
          partnerCpuNanos - earlier.partnerCpuNanos,
          processCpuNanos < 0 || earlier.processCpuNanos < 0 ? -1 : processCpuNanos - earlier.processCpuNanos);
    }

    long partiesCpuNanos() {
      return bankCpuNanos + partnerCpuNanos;
    }
  }

  static Reading now() {
    long bank = 0;
    long partner = 0;
    long[] ids = THREADS.getAllThreadIds();
    ThreadInfo[] infos = THREADS.getThreadInfo(ids);
    for (int i = 0; i < ids.length; i++) {
      if (infos[i] == null) {
        continue;
      }
      String name = infos[i].getThreadName();
      long cpu = THREADS.getThreadCpuTime(ids[i]);
      if (cpu < 0) {
        continue;
      }
      if (name.startsWith("bank")) {
        bank += cpu;
      } else if (name.startsWith("partner")) {
        partner += cpu;
      }
    }
    long process = OS instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() : -1;
    return new Reading(System.nanoTime(), bank, partner, process);
  }
}
