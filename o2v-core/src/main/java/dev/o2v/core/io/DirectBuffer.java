package dev.o2v.core.io;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A direct byte buffer whose native memory is given back when its owner closes it.
 *
 * <p>The JDK frees a direct buffer only after the garbage collector has found it unreachable.
 * Buffers opened for every file a run writes or reads (each epoch's checkpoint is such a file)
 * therefore pile up outside the Java heap between collections, up to {@code
 * -XX:MaxDirectMemorySize} (by default as large as the maximum heap), and the process grows by
 * megabytes per epoch. Closing runs the buffer's own cleaner at once, through {@code
 * sun.misc.Unsafe#invokeCleaner} (module {@code jdk.unsupported}, the only way Java 17 offers);
 * on a runtime without it, closing only drops the reference and the collector frees the memory
 * as before.
 *
 * <p>After {@link #close()} the buffer, and every view of it, must not be touched again.
 */
public final class DirectBuffer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(DirectBuffer.class);

  /** {@code invokeCleaner} bound to the Unsafe instance, or null when the runtime lacks it. */
  private static final MethodHandle CLEANER = findCleaner();

  private ByteBuffer allocation; // what allocateDirect returned: the only buffer a cleaner takes
  private final ByteBuffer bytes; // the usable part: the allocation or an aligned slice of it

  private DirectBuffer(ByteBuffer allocation, ByteBuffer bytes) {
    this.allocation = allocation;
    this.bytes = bytes;
  }

  /** A direct buffer of {@code bytes} bytes. */
  public static DirectBuffer allocate(int bytes) {
    ByteBuffer allocation = ByteBuffer.allocateDirect(bytes);
    return new DirectBuffer(allocation, allocation);
  }

  /**
   * A direct buffer of {@code bytes} bytes whose memory starts at a multiple of {@code
   * alignment} (a power of two).
   */
  public static DirectBuffer allocateAligned(int bytes, int alignment) {
    if (alignment < 1 || Integer.bitCount(alignment) != 1) {
      throw new IllegalArgumentException("alignment must be a power of two, found " + alignment);
    }
    long rounded = ((long) bytes + alignment - 1) / alignment * alignment;
    // alignedSlice moves the start up and the end down to block boundaries: one spare block
    // leaves at least the rounded size in between.
    ByteBuffer allocation = ByteBuffer.allocateDirect(Math.toIntExact(rounded + alignment));
    ByteBuffer aligned = allocation.alignedSlice(alignment);
    return new DirectBuffer(allocation, aligned.limit(bytes).slice());
  }

  /**
   * Bytes this JVM's direct byte buffers hold now, counting those no one references any more
   * but the collector has not freed yet (native memory inside RSS, outside the Java heap).
   */
  public static long bytesInUse() {
    return ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
        .filter(pool -> pool.getName().equals("direct"))
        .mapToLong(BufferPoolMXBean::getMemoryUsed)
        .sum();
  }

  /** The buffer to use; valid until {@link #close()}. */
  public ByteBuffer bytes() {
    if (allocation == null) {
      throw new IllegalStateException("the direct buffer is closed");
    }
    return bytes;
  }

  /** Frees the native memory now (once; later calls do nothing). */
  @Override
  public void close() {
    ByteBuffer freed = allocation;
    allocation = null;
    if (freed == null || CLEANER == null) {
      return;
    }
    try {
      CLEANER.invokeExact(freed);
    } catch (Throwable e) {
      // The collector frees it later, as it would without this class.
      LOG.debug("could not free a direct buffer now: {}", e.toString());
    }
  }

  private static MethodHandle findCleaner() {
    try {
      Class<?> unsafeClass = Class.forName("sun.misc.Unsafe");
      Field instance = unsafeClass.getDeclaredField("theUnsafe");
      instance.setAccessible(true);
      return MethodHandles.lookup()
          .findVirtual(
              unsafeClass, "invokeCleaner", MethodType.methodType(void.class, ByteBuffer.class))
          .bindTo(instance.get(null));
    } catch (ReflectiveOperationException | RuntimeException e) {
      LOG.debug("direct buffers are freed by the garbage collector only: {}", e.toString());
      return null;
    }
  }
}
