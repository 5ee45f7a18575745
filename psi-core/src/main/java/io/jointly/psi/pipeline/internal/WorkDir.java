package io.jointly.psi.pipeline.internal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * The directory one run owns for what does not fit its memory budget, and for its checkpoints.
 * Every file in it is a {@link SealedFile} under a key that is fresh per run (kept, for a resume,
 * only inside the sealed checkpoint); file names are fixed labels that carry no data. The directory
 * is created on first use and locked against a second run; {@link #deleteAll()} removes it when the
 * run succeeds. It counts the bytes its files take, and their peak.
 *
 * <p>Thread-safe: files may be created, written and deleted from several threads (each file by one
 * thread at a time).
 */
public final class WorkDir implements AutoCloseable {
  private static final String LOCK = "lock";

  private final Path dir;
  private final byte[] keyBytes;
  private final SecretKey key;
  private final int epoch;
  private final boolean durable;
  /**
   * File ids of this epoch start at {@code epoch·2^20 + 1}: a file continued from an earlier epoch
   * keeps its (smaller) id, so no file of this epoch shares an id, and so a nonce, with it.
   */
  private final AtomicInteger nextFileId;
  private final AtomicLong bytes = new AtomicLong();
  private final AtomicLong peak = new AtomicLong();
  private FileChannel lockChannel;
  private FileLock lock;
  private boolean closed;

  private WorkDir(Path dir, byte[] keyBytes, int epoch, boolean durable) {
    this.dir = dir;
    this.keyBytes = keyBytes;
    this.key = new SecretKeySpec(keyBytes, "AES");
    this.epoch = epoch;
    this.durable = durable;
    if (epoch < 0 || epoch >= 1 << 11) {
      throw new IllegalArgumentException("a run resumes at most 2047 times");
    }
    this.nextFileId = new AtomicInteger((epoch << 20) + 1);
  }

  /**
   * A work directory for a new run (not created on disk until it is first needed).
   *
   * @param durable whether files are forced to the device at checkpoints (checkpointing runs)
   */
  public static WorkDir fresh(Path dir, boolean durable, SecureRandom random) {
    byte[] k = new byte[32];
    random.nextBytes(k);
    return new WorkDir(dir, k, 0, durable);
  }

  /** The work directory of a resumed run: the key from its checkpoint, the next epoch. */
  public static WorkDir resumed(Path dir, byte[] key, int epoch) {
    if (key.length != 32) {
      throw new IllegalArgumentException("work key must be 32 bytes");
    }
    return new WorkDir(dir, key.clone(), epoch, true);
  }

  /**
   * The same directory under another key and epoch (a resumed run's, from its checkpoint); the lock
   * passes to the new instance and this one must not be used any more.
   */
  public synchronized WorkDir adopt(byte[] key, int newEpoch) {
    WorkDir w = resumed(dir, key, newEpoch);
    w.lockChannel = lockChannel;
    w.lock = lock;
    lockChannel = null;
    lock = null;
    closed = true;
    return w;
  }

  public Path path() {
    return dir;
  }

  /** Whether files are forced to the device at checkpoints. */
  public boolean durable() {
    return durable;
  }

  /** The epoch new blocks are sealed in (grows with each resume). */
  public int epoch() {
    return epoch;
  }

  /** The file key, for the sealed checkpoint only; the caller zeroes the copy. */
  public byte[] exportKey() {
    return keyBytes.clone();
  }

  /**
   * Creates the directory if needed and takes its lock.
   *
   * @throws IOException if the directory cannot be created or another run holds it
   */
  public synchronized void lock() throws IOException {
    if (closed) {
      throw new IllegalStateException("work directory " + dir + " was closed");
    }
    if (lock != null) {
      return;
    }
    Files.createDirectories(dir);
    FileChannel ch =
        FileChannel.open(dir.resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    FileLock l;
    try {
      l = ch.tryLock();
    } catch (OverlappingFileLockException e) {
      l = null;
    }
    if (l == null) {
      ch.close();
      throw new IOException("another run is using the work directory " + dir);
    }
    lockChannel = ch;
    lock = l;
  }

  /** Whether anything of this run exists on disk yet. */
  public synchronized boolean exists() {
    return lock != null;
  }

  private final SealedFile.DiskMeter meter =
      delta -> {
        long now = bytes.addAndGet(delta);
        peak.accumulateAndGet(now, Math::max);
      };

  /** Creates (or replaces) the sealed file {@code name}. */
  public SealedFile.Writer create(String name) throws IOException {
    lock();
    Path p = dir.resolve(name);
    long before = sizeOf(p);
    meter.grew(-before);
    int id = nextFileId.getAndIncrement();
    return SealedFile.create(p, name, key, id, epoch, meter);
  }

  /** Reopens {@code name} to append after a checkpointed position, cutting off what followed. */
  public SealedFile.Writer append(String name, SealedFile.Position at) throws IOException {
    lock();
    return SealedFile.append(dir.resolve(name), name, key, epoch, at, meter);
  }

  /** Opens {@code name} for reading; it must hold exactly {@code plainBytes} (or more). */
  public SealedFile.Reader open(String name, long plainBytes) throws IOException {
    try {
      return SealedFile.open(dir.resolve(name), name, key, plainBytes);
    } catch (NoSuchFileException e) {
      throw new WorkFileException("work file " + name + " is missing from " + dir);
    }
  }

  /** Deletes {@code name} if it exists. */
  public void delete(String name) throws IOException {
    Path p = dir.resolve(name);
    long size = sizeOf(p);
    if (Files.deleteIfExists(p)) {
      meter.grew(-size);
    }
  }

  /** Writes {@code content} to {@code name} atomically (temporary file, force, rename). */
  public void writeAtomically(String name, byte[] content) throws IOException {
    lock();
    Path tmp = dir.resolve(name + ".tmp");
    try (FileChannel ch =
        FileChannel.open(
            tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
      java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(content);
      while (b.hasRemaining()) {
        ch.write(b);
      }
      ch.force(true);
    }
    long before = sizeOf(dir.resolve(name));
    Files.move(tmp, dir.resolve(name), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    meter.grew(content.length - before);
    if (durable) {
      forceDirectory();
    }
  }

  /** Reads a small file written by {@link #writeAtomically}, or null if there is none. */
  public byte[] readSmall(String name) throws IOException {
    Path p = dir.resolve(name);
    if (!Files.exists(p)) {
      return null;
    }
    return Files.readAllBytes(p);
  }

  private void forceDirectory() {
    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
      d.force(true);
    } catch (IOException e) {
      // Some platforms cannot open a directory; the rename is still atomic there.
    }
  }

  private static long sizeOf(Path p) {
    try {
      return Files.size(p);
    } catch (IOException e) {
      return 0;
    }
  }

  /** Bytes the run's files take now. */
  public long bytesNow() {
    return bytes.get();
  }

  /** The most bytes the run's files took at any moment. */
  public long peakBytes() {
    return peak.get();
  }

  /** Deletes every file of the run and the directory itself, and releases the lock. */
  public synchronized void deleteAll() throws IOException {
    if (!Files.isDirectory(dir)) {
      release();
      return;
    }
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
      for (Path f : files) {
        if (!f.getFileName().toString().equals(LOCK)) {
          Files.deleteIfExists(f);
        }
      }
    }
    release();
    Files.deleteIfExists(dir.resolve(LOCK));
    try {
      Files.deleteIfExists(dir);
    } catch (IOException e) {
      // something else was put there: leave it
    }
    bytes.set(0);
  }

  private void release() {
    try {
      if (lock != null) {
        lock.release();
      }
      if (lockChannel != null) {
        lockChannel.close();
      }
    } catch (IOException e) {
      // the lock goes with the channel anyway
    } finally {
      lock = null;
      lockChannel = null;
    }
  }

  /** Releases the lock and leaves the files (for a resume). Zeroes the key in memory. */
  @Override
  public synchronized void close() {
    closed = true;
    release();
    Arrays.fill(keyBytes, (byte) 0);
  }

  @Override
  public String toString() {
    return "WorkDir[" + dir + "]";
  }
}
