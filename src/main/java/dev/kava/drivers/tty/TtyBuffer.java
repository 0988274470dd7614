package dev.kava.drivers.tty;

/**
 * The flip buffer of a tty port (struct tty_bufhead, drivers/tty/tty_buffer.c): bytes the
 * driver has received and the line discipline has not yet taken, because it was full. Bounded
 * like Linux's (tty_buffer_set_limit): when it is full the sender must wait. Guarded by the
 * tty's lock.
 */
final class TtyBuffer {
    private final byte[] ring;
    private int head, count;

    TtyBuffer(int limit) {
        ring = new byte[limit];
    }

    int count() {
        return count;
    }

    /** tty_buffer_space_avail. */
    int space() {
        return ring.length - count;
    }

    /** tty_insert_flip_string: queues what fits, returns how many bytes that was. */
    int insert(byte[] b, int off, int len) {
        int n = Math.min(len, space());
        int tail = (head + count) % ring.length;
        for (int i = 0; i < n; i++) ring[(tail + i) % ring.length] = b[off + i];
        count += n;
        return n;
    }

    /** The backing array, for handing the oldest bytes to the line discipline without a copy. */
    byte[] array() {
        return ring;
    }

    int headIndex() {
        return head;
    }

    /** How many of the queued bytes lie in one piece from {@link #headIndex}. */
    int contiguous() {
        return Math.min(count, ring.length - head);
    }

    void consume(int n) {
        head = (head + n) % ring.length;
        count -= n;
        if (count == 0) head = 0;
    }

    /** tty_buffer_flush: discards everything queued. */
    void flush() {
        head = 0;
        count = 0;
    }
}
