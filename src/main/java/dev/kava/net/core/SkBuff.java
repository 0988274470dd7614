package dev.kava.net.core;

import dev.kava.net.Sock;

/**
 * A packet (struct sk_buff, include/linux/skbuff.h) over one byte array: headroom, then the
 * data between {@link #data} and {@link #tail}, then tailroom. Each layer pushes its header in
 * front on the way out and pulls it off on the way in; the offsets of the link, network and
 * transport headers are absolute indexes into {@link #buf}, so they stay valid across pushes
 * and pulls (skb_reset_network_header and friends).
 *
 * <p>A clone ({@link #clone()}) shares the bytes: it is how one received packet reaches
 * several sockets (raw sockets and the protocol). Whoever wants to change the bytes of a
 * packet that may be shared makes a {@link #copy()} first, as skb_unshare does.
 *
 * <p>Multi-byte fields of packets are big-endian; the get/put helpers here read and write them
 * as host ints.
 */
public final class SkBuff {
    /** ip_summed: how far the checksum of the packet is known to be right (include/linux/skbuff.h). */
    public static final int CHECKSUM_NONE = 0;
    public static final int CHECKSUM_UNNECESSARY = 1;
    public static final int CHECKSUM_COMPLETE = 2;
    public static final int CHECKSUM_PARTIAL = 3;

    /** The headroom every locally made packet reserves: an Ethernet header and the largest IPv6 header with room to spare (MAX_HEADER-ish). */
    public static final int MAX_HEADER = 128;

    public byte[] buf;
    public int data, tail;
    /** Absolute offsets into buf; -1 when not set. */
    public int macHeader = -1, networkHeader = -1, transportHeader = -1;

    /** The device the packet goes out of or came in on. */
    public NetDevice dev;
    /** skb_iif: the ifindex it arrived on. */
    public int skbIif;
    /** skb->protocol: the ethertype (ETH_P_IP, ETH_P_IPV6), in host order. */
    public int protocol;
    /** skb->pkt_type: PACKET_HOST, PACKET_BROADCAST, ... */
    public int pktType;
    /** skb->priority: the queueing priority (sk_priority, or from the TOS), which the qdisc sorts by. */
    public int priority;
    public int mark;
    /** Receive time, realtime nanoseconds (0: not stamped). */
    public long tstamp;
    public int ipSummed = CHECKSUM_NONE;
    /** The route the packet follows (skb_dst): an IPv4 or IPv6 route. */
    public Dst dst;
    /** The sending socket while the packet is charged to it (skb->sk with sock_wfree), or null. */
    public Sock sk;
    /** truesize: the memory the packet counts for against socket buffers. */
    public int truesize;
    /** Whether local fragmentation may ignore DF (skb->ignore_df). */
    public boolean ignoreDf;
    /**
     * The control block of the layer holding the packet (skb->cb): IPCB/IP6CB for the IP
     * layers, the transport's own for the transport. Each layer puts its own object here.
     */
    public Object cb;
    /** The destructor (skb->destructor), run once when the packet is freed or orphaned; null for none. */
    private Runnable destructor;
    private boolean cloned;

    private SkBuff(byte[] buf) {
        this.buf = buf;
    }

    /**
     * alloc_skb plus skb_reserve: room for headroom + size bytes with data starting after the
     * headroom; the packet is empty.
     */
    public static SkBuff alloc(int headroom, int size) {
        SkBuff skb = new SkBuff(new byte[headroom + size]);
        skb.data = skb.tail = headroom;
        skb.truesize = truesize(headroom + size);
        return skb;
    }

    /**
     * SKB_TRUESIZE of a kmalloc'ed buffer of size bytes: kmalloc rounds small buffers up to a
     * power of two, large ones to whole pages; the sk_buff and skb_shared_info come on top.
     */
    public static int truesize(int size) {
        int alloc;
        if (size <= 8192) {
            alloc = Math.max(32, Integer.highestOneBit(Math.max(1, size - 1)) << 1);
            if (size <= 32) alloc = 32;
        } else {
            alloc = (size + 4095) & ~4095;
        }
        return alloc + Sock.SKB_OVERHEAD;
    }

    /** skb->len: the bytes from data to tail. */
    public int len() {
        return tail - data;
    }

    public int headroom() {
        return data;
    }

    public int tailroom() {
        return buf.length - tail;
    }

    /** skb_put: extends the data at the tail by len bytes and returns their offset. */
    public int put(int len) {
        if (len < 0 || tail + len > buf.length) throw new IllegalStateException("skb_over_panic");
        int off = tail;
        tail += len;
        return off;
    }

    /** skb_put_data */
    public int putData(byte[] src, int off, int len) {
        int at = put(len);
        System.arraycopy(src, off, buf, at, len);
        return at;
    }

    /** skb_push: extends the data at the front by len bytes and returns the new data offset. */
    public int push(int len) {
        if (len < 0 || len > data) throw new IllegalStateException("skb_under_panic");
        data -= len;
        return data;
    }

    /** skb_pull: drops len bytes at the front; false (nothing pulled) if there are fewer. */
    public boolean pull(int len) {
        if (len < 0 || len > len()) return false;
        data += len;
        return true;
    }

    /** pskb_may_pull: whether len bytes of header are there (all data is linear here). */
    public boolean mayPull(int len) {
        return len >= 0 && len <= len();
    }

    /** skb_trim / pskb_trim: cuts the data to len bytes (no-op if it is shorter). */
    public void trim(int len) {
        if (len < len()) tail = data + len;
    }

    public void resetNetworkHeader() {
        networkHeader = data;
    }

    public void resetTransportHeader() {
        transportHeader = data;
    }

    public void resetMacHeader() {
        macHeader = data;
    }

    /** The bytes from the network header to the tail (an IP packet's full length once the header is set). */
    public int networkLen() {
        return tail - networkHeader;
    }

    /** skb_network_header_len: the network header's length (transport header minus network header). */
    public int networkHeaderLen() {
        return transportHeader - networkHeader;
    }

    /** A copy of len bytes at an absolute offset. */
    public byte[] bytes(int off, int len) {
        byte[] b = new byte[len];
        System.arraycopy(buf, off, b, 0, len);
        return b;
    }

    /** The data (data..tail) as a new array. */
    public byte[] toByteArray() {
        return bytes(data, len());
    }

    // ---- ownership

    /** skb_set_owner_w and friends: runs d when the packet is freed or orphaned. */
    public void setDestructor(Sock owner, Runnable d) {
        this.sk = owner;
        this.destructor = d;
    }

    /** skb_orphan: runs the destructor now (the sender's charge ends) and forgets the owner. */
    public void orphan() {
        Runnable d = destructor;
        destructor = null;
        sk = null;
        if (d != null) d.run();
    }

    /** kfree_skb / consume_skb: the packet is done with. */
    public void free() {
        orphan();
    }

    // ---- clones and copies

    /**
     * skb_clone: a second packet header over the same bytes, with the same offsets and
     * metadata but no owner; both are marked cloned, so writers know to copy first.
     */
    @Override
    public SkBuff clone() {
        SkBuff n = new SkBuff(buf);
        n.copyHeader(this);
        cloned = true;
        n.cloned = true;
        return n;
    }

    /** skb_copy: a private copy of the bytes (headroom included) with the same offsets and metadata. */
    public SkBuff copy() {
        SkBuff n = new SkBuff(buf.clone());
        n.copyHeader(this);
        return n;
    }

    /** skb_cloned: whether the bytes may be shared with another packet. */
    public boolean isCloned() {
        return cloned;
    }

    /** skb_unshare: this packet if its bytes are its own, else a private copy. */
    public SkBuff unshare() {
        return cloned ? copy() : this;
    }

    private void copyHeader(SkBuff o) {
        data = o.data;
        tail = o.tail;
        macHeader = o.macHeader;
        networkHeader = o.networkHeader;
        transportHeader = o.transportHeader;
        dev = o.dev;
        skbIif = o.skbIif;
        protocol = o.protocol;
        pktType = o.pktType;
        priority = o.priority;
        mark = o.mark;
        tstamp = o.tstamp;
        ipSummed = o.ipSummed;
        dst = o.dst;
        truesize = o.truesize;
        ignoreDf = o.ignoreDf;
        cb = o.cb;
    }

    // ---- big-endian field access at absolute offsets

    public int get8(int off) {
        return buf[off] & 0xff;
    }

    public int get16(int off) {
        return ((buf[off] & 0xff) << 8) | (buf[off + 1] & 0xff);
    }

    public int get32(int off) {
        return ((buf[off] & 0xff) << 24) | ((buf[off + 1] & 0xff) << 16) | ((buf[off + 2] & 0xff) << 8) | (buf[off + 3] & 0xff);
    }

    public void put8(int off, int v) {
        buf[off] = (byte) v;
    }

    public void put16(int off, int v) {
        buf[off] = (byte) (v >>> 8);
        buf[off + 1] = (byte) v;
    }

    public void put32(int off, int v) {
        buf[off] = (byte) (v >>> 24);
        buf[off + 1] = (byte) (v >>> 16);
        buf[off + 2] = (byte) (v >>> 8);
        buf[off + 3] = (byte) v;
    }

    public static int get16(byte[] b, int off) {
        return ((b[off] & 0xff) << 8) | (b[off + 1] & 0xff);
    }

    public static int get32(byte[] b, int off) {
        return ((b[off] & 0xff) << 24) | ((b[off + 1] & 0xff) << 16) | ((b[off + 2] & 0xff) << 8) | (b[off + 3] & 0xff);
    }

    public static void put16(byte[] b, int off, int v) {
        b[off] = (byte) (v >>> 8);
        b[off + 1] = (byte) v;
    }

    public static void put32(byte[] b, int off, int v) {
        b[off] = (byte) (v >>> 24);
        b[off + 1] = (byte) (v >>> 16);
        b[off + 2] = (byte) (v >>> 8);
        b[off + 3] = (byte) v;
    }
}
