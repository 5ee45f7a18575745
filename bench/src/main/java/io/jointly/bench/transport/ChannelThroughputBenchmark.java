package io.jointly.bench.transport;

import io.jointly.channel.ChannelPair;
import io.jointly.channel.InMemoryChannel;
import io.jointly.channel.MessageChannel;
import io.jointly.channel.RoundKey;
import io.jointly.core.Bytes;
import io.jointly.transport.LoopbackTransport;
import io.jointly.transport.TransportOptions;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One-way message throughput of each channel: {@code messages} payloads of {@code payloadBytes}
 * (a PSI batch of 4 Ki or 64 Ki 32-byte elements) sent by one party and received by the other, over
 * the in-memory pair, loopback plaintext gRPC and loopback mutual-TLS gRPC. The auxiliary counter
 * {@code bytes} gives payload bytes per operation, so MiB/s = bytes / time.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ChannelThroughputBenchmark {
  private static final int MESSAGES = 16;

  @Param({"memory", "grpc-plain", "grpc-tls"})
  public String channel;

  @Param({"131072", "2097152"})
  public int payloadBytes;

  private LoopbackTransport loop;
  private ChannelPair pair;
  private ExecutorService receiver;
  private Bytes payload;
  private int sequence;

  /** Payload bytes moved per operation. */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.EVENTS)
  public static class Moved {
    public long bytes;

    @Setup(Level.Iteration)
    public void reset() {
      bytes = 0;
    }
  }

  @Setup(Level.Iteration)
  public void setUp() throws Exception {
    payload = Bytes.wrap(new byte[payloadBytes]);
    sequence = 0; // a fresh connection per iteration: keys are single-use per session
    receiver = Executors.newSingleThreadExecutor();
    switch (channel) {
      case "memory" -> pair = InMemoryChannel.pair("bench", "bank", "partner");
      case "grpc-plain" -> {
        loop = LoopbackTransport.plaintext("bench", "bank", "partner", TransportOptions.DEFAULTS);
        pair = loop.pair();
      }
      case "grpc-tls" -> {
        loop = LoopbackTransport.mutualTls("bench", "bank", "partner", TransportOptions.DEFAULTS);
        pair = loop.pair();
      }
      default -> throw new IllegalArgumentException(channel);
    }
  }

  @TearDown(Level.Iteration)
  public void tearDown() {
    pair.closeBoth();
    if (loop != null) {
      loop.close();
    }
    receiver.shutdownNow();
  }

  @Benchmark
  public long send(Moved moved) throws Exception {
    int first = sequence;
    sequence += MESSAGES;
    MessageChannel from = pair.first();
    MessageChannel to = pair.second();
    Future<Long> received =
        receiver.submit(
            () -> {
              long n = 0;
              for (int i = 0; i < MESSAGES; i++) {
                n += to.receive(new RoundKey("bench", 1, first + i), Duration.ofMinutes(1)).length();
              }
              return n;
            });
    for (int i = 0; i < MESSAGES; i++) {
      from.send(new RoundKey("bench", 1, first + i), payload);
    }
    long n = received.get(1, TimeUnit.MINUTES);
    moved.bytes += n;
    return n;
  }
}
