package dev.kava.net.unix;

import dev.kava.fs.File;

import java.util.List;

/**
 * One buffer in an AF_UNIX receive queue (struct sk_buff with the unix_skb_parms of
 * net/unix/af_unix.h): a datagram, a piece of a stream, or a connection request (whose data
 * is empty and whose {@link #sk} is the embryo socket the connection will be).
 */
final class UnixSkb {
    /** skb->sk: the sending socket, charged {@link #truesize} in its send buffer until this is freed. */
    final UnixSock sk;
    final byte[] data;
    final int len;
    /** What the sender's sk_wmem_alloc was charged; 0 for a connection request. */
    final int truesize;
    /** UNIXCB(skb).consumed: the bytes a stream reader already took. */
    int consumed;
    /** UNIXCB(skb).pid, uid, gid: the sender's credentials, when they were attached. */
    boolean hasPid;
    int pid;
    int uid = -1, gid = -1;
    /** UNIXCB(skb).fp: files in flight (each holding a reference), or null. */
    List<File> fp;
    /** The real uid the files are counted against (fpl->user). */
    int fpUid;
    /** skb->peeked: a MSG_PEEK saw this empty datagram. */
    boolean peeked;
    /** skb->tstamp in realtime ns, 0 until stamped. */
    long tstamp;
    /** The next buffer in the queue. */
    UnixSkb next;

    UnixSkb(UnixSock sk, int len, int truesize) {
        this.sk = sk;
        this.data = new byte[len];
        this.len = len;
        this.truesize = truesize;
    }

    /** unix_skb_len: what is left to read. */
    int unixLen() {
        return len - consumed;
    }

    /** An sk_buff_head: a singly linked FIFO (readers take from the head, writers add at the tail). */
    static final class Queue {
        private UnixSkb head, tail;
        private int size;
        /** Bumped by every enqueue: a reader that saw the queue before it can tell something arrived. */
        long seq;

        void add(UnixSkb skb) {
            skb.next = null;
            if (tail == null) head = skb;
            else tail.next = skb;
            tail = skb;
            size++;
            seq++;
        }

        UnixSkb peek() {
            return head;
        }

        UnixSkb poll() {
            UnixSkb h = head;
            if (h == null) return null;
            head = h.next;
            if (head == null) tail = null;
            h.next = null;
            size--;
            return h;
        }

        /** Unlinks skb, which must be the head (readers only ever consume at the head). */
        void unlinkHead(UnixSkb skb) {
            if (head == skb) poll();
        }

        boolean isEmpty() {
            return head == null;
        }

        int size() {
            return size;
        }
    }
}
