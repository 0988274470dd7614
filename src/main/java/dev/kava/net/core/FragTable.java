package dev.kava.net.core;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Fragment reassembly shared by IPv4 and IPv6 (struct inet_frag_queue and inet_frags,
 * net/ipv4/inet_fragment.c): per key (addresses, identification, protocol) the pieces received
 * so far, the unfragmentable header of the first one, and the total length once the last one
 * is seen. A queue whose pieces overlap is dropped (RFC 5722); queues older than the timeout are
 * dropped when the table is next used (Linux's timer, run lazily); the bytes held are bounded
 * (the high threshold), beyond which new fragments are dropped.
 */
public final class FragTable<K> {
    /** The outcome of adding a fragment. */
    public enum Result { QUEUED, COMPLETE, DROPPED }

    /** One datagram being reassembled. */
    public static final class Queue {
        final TreeMap<Integer, byte[]> pieces = new TreeMap<>();
        /** The headers that precede the fragmentable part, from the fragment at offset 0. */
        public byte[] header;
        /** The first fragment's next protocol (IPv6) or anything its owner wants to keep. */
        public int firstInfo;
        /** The first fragment's receive metadata. */
        public SkBuff first;
        /** The total length of the fragmentable part, -1 until the last fragment arrives. */
        int total = -1;
        int bytes;
        final long created;

        Queue(long now) {
            this.created = now;
        }

        /** The fragmentable part, in order (only once complete). */
        public byte[] assemble() {
            byte[] out = new byte[total];
            for (Map.Entry<Integer, byte[]> e : pieces.entrySet()) System.arraycopy(e.getValue(), 0, out, e.getKey(), e.getValue().length);
            return out;
        }

        boolean complete() {
            if (total < 0 || header == null) return false;
            int at = 0;
            for (Map.Entry<Integer, byte[]> e : pieces.entrySet()) {
                if (e.getKey() != at) return false;
                at += e.getValue().length;
            }
            return at == total;
        }
    }

    private final Map<K, Queue> queues = new HashMap<>();
    private final long timeoutNanos;
    private final int highThresh;
    private int memory;

    /** ipfrag_time / ip6frag_time and ipfrag_high_thresh. */
    public FragTable(long timeoutNanos, int highThresh) {
        this.timeoutNanos = timeoutNanos;
        this.highThresh = highThresh;
    }

    /** Queues timed out since; their datagrams are lost (ReasmTimeout). */
    private int expire(long now) {
        int n = 0;
        for (Iterator<Queue> it = queues.values().iterator(); it.hasNext(); ) {
            Queue q = it.next();
            if (now - q.created > timeoutNanos) {
                memory -= q.bytes;
                it.remove();
                n++;
            }
        }
        return n;
    }

    /**
     * Adds the piece [offset, offset+data.length) of the datagram key; last says it ends the
     * datagram; header is non-null for the piece at offset 0. Returns COMPLETE with the queue
     * in out[0] (removed from the table) once every byte is there.
     */
    public synchronized Result add(K key, int offset, byte[] data, boolean last, byte[] header, int firstInfo,
                                   SkBuff meta, long now, Queue[] out, int[] timedOut) {
        timedOut[0] += expire(now);
        if (memory + data.length > highThresh) return Result.DROPPED;
        Queue q = queues.get(key);
        if (q == null) {
            q = new Queue(now);
            queues.put(key, q);
        }
        int end = offset + data.length;
        if (last) {
            if (end < q.total || (q.total >= 0 && end != q.total)) return drop(key, q);
            q.total = end;
        }
        if (q.total >= 0 && end > q.total) return drop(key, q);
        Map.Entry<Integer, byte[]> before = q.pieces.floorEntry(offset);
        Map.Entry<Integer, byte[]> after = q.pieces.ceilingEntry(offset);
        if (before != null && before.getKey() == offset && before.getValue().length == data.length) return Result.QUEUED; // a duplicate
        if (before != null && before.getKey() + before.getValue().length > offset) return drop(key, q);
        if (after != null && after.getKey() < end) return drop(key, q);
        q.pieces.put(offset, data);
        q.bytes += data.length;
        memory += data.length;
        if (offset == 0) {
            q.header = header;
            q.firstInfo = firstInfo;
            q.first = meta;
        }
        if (q.complete()) {
            queues.remove(key);
            memory -= q.bytes;
            out[0] = q;
            return Result.COMPLETE;
        }
        return Result.QUEUED;
    }

    private Result drop(K key, Queue q) {
        queues.remove(key);
        memory -= q.bytes;
        return Result.DROPPED;
    }

    /** The queues in progress (for tests). */
    public synchronized int pending() {
        return queues.size();
    }

    /** Splits len bytes into pieces of at most max (a multiple of 8), for the output side. */
    public static List<int[]> split(int len, int max) {
        List<int[]> out = new ArrayList<>();
        for (int off = 0; off < len; off += max) out.add(new int[]{off, Math.min(max, len - off)});
        return out;
    }
}
