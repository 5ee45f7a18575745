/**
 * The message channel every protocol runs over: {@link io.jointly.channel.MessageChannel} (messages
 * addressed by {@link io.jointly.channel.RoundKey}, receive with a time-out, close), the in-memory
 * pair for one-JVM runs, the counting and fault-injecting decorators, and {@link
 * io.jointly.channel.TwoPartyRun}, which runs both parties with a hard time-out.
 *
 * <p>Security model: a channel is assumed reliable and, in deployment, authenticated and encrypted
 * by the transport (mutual TLS in the {@code transport} module); the in-memory pair is for tests,
 * benchmarks and single-process demos. Channels detect replayed and oversized messages; protocols
 * validate everything else they receive and confirm transcripts.
 *
 * <p>Thread-safety: every channel in this package may be used by one sending and one receiving
 * thread at once; decorators inherit their inner channel's guarantees.
 */
package io.jointly.channel;
