package dev.kava.net.ipv4;

import dev.kava.abi.Tcp;
import dev.kava.net.core.Net;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * A namespace's TCP state: the socket tables of inet_hashinfo (established and TIME_WAIT
 * connections by their four-tuple, bound ports, listeners by port), the net.ipv4.tcp_*
 * sysctls with Linux's defaults, the TCP SNMP counters, and the secrets of secure_tcp_seq.
 *
 * <p>Locking: the established map is concurrent; the port and listener tables are guarded by
 * this object's monitor, taken after a socket's (never before).
 */
public final class TcpNet {
    private static final Map<Net, TcpNet> NETS = new WeakHashMap<>();

    public final Net net;

    // ---- sysctls (net.ipv4.tcp_*), Linux's defaults
    public volatile int ecn = 2;
    public volatile int sack = 1, timestamps = 1, windowScaling = 1;
    public volatile String congestionControl = "cubic";
    public volatile int finTimeout = 60;
    public volatile int keepaliveTime = 7200, keepaliveIntvl = 75, keepaliveProbes = 9;
    public volatile int synRetries = 6, synackRetries = 5, retries1 = 3, retries2 = 15, orphanRetries = 0;
    public volatile int[] rmem = {4096, 131072, 6291456};
    public volatile int[] wmem = {4096, 16384, 4194304};
    public volatile int moderateRcvbuf = 1;
    public volatile int reordering = 3;
    public volatile int maxSynBacklog = 4096;
    public volatile int twReuse = 2;
    public volatile int rfc1337 = 0;
    public volatile int abortOnOverflow = 0;
    public volatile int minRtoMs = 200;

    /** The SNMP "Tcp:" counters of /proc/net/snmp. */
    public final LongAdder activeOpens = new LongAdder(), passiveOpens = new LongAdder(), attemptFails = new LongAdder(),
            estabResets = new LongAdder(), inSegs = new LongAdder(), outSegs = new LongAdder(),
            retransSegs = new LongAdder(), inErrs = new LongAdder(), outRsts = new LongAdder(), inCsumErrors = new LongAdder();

    /** Four-tuple -> connection (ehash), including TIME_WAIT entries. */
    final ConcurrentHashMap<Key, Object> ehash = new ConcurrentHashMap<>();
    /** Port -> sockets bound to it (bhash), TIME_WAIT entries included. */
    private final Map<Integer, List<Object>> bhash = new java.util.HashMap<>();
    /** Port -> listening sockets (lhash2). */
    private final Map<Integer, List<TcpSock>> listeners = new java.util.HashMap<>();

    private final long isnSecret, tsSecret;

    /**
     * A connection's four-tuple, local side first, ports in host order. Addresses are IPv6's
     * 128 bits as two longs (big-endian halves); an IPv4 address is kept v4-mapped, so one
     * table holds both families as Linux's ehash does.
     */
    public record Key(long lhi, long llo, int lport, long rhi, long rlo, int rport) {
        /** An IPv4 four-tuple (host-order addresses). */
        public Key(int laddr, int lport, int raddr, int rport) {
            this(0, MAPPED | (laddr & 0xffffffffL), lport, 0, MAPPED | (raddr & 0xffffffffL), rport);
        }

        /** An IPv6 four-tuple. */
        public static Key of6(byte[] laddr, int lport, byte[] raddr, int rport) {
            return new Key(half(laddr, 0), half(laddr, 8), lport, half(raddr, 0), half(raddr, 8), rport);
        }

        private static final long MAPPED = 0xffffL << 32;

        private static long half(byte[] a, int off) {
            long v = 0;
            for (int i = 0; i < 8; i++) v = v << 8 | (a[off + i] & 0xff);
            return v;
        }

        int laddr() {
            return (int) llo;
        }

        int raddr() {
            return (int) rlo;
        }
    }

    private TcpNet(Net net) {
        this.net = net;
        SecureRandom r = new SecureRandom();
        isnSecret = r.nextLong();
        tsSecret = r.nextLong();
    }

    public static TcpNet of(Net net) {
        synchronized (NETS) {
            return NETS.computeIfAbsent(net, TcpNet::new);
        }
    }

    /** CurrEstab: connections in ESTABLISHED or CLOSE_WAIT. */
    public long currEstab() {
        long n = 0;
        for (Object o : ehash.values()) {
            if (o instanceof TcpSock s && (s.state == Tcp.TCP_ESTABLISHED || s.state == Tcp.TCP_CLOSE_WAIT)) n++;
        }
        return n;
    }

    // ---- secure_tcp_seq and secure_tcp_ts_off (net/core/secure_seq.c)

    private static long mix(long h) {
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }

    private static long tuple(Key k) {
        return ((long) k.laddr() << 32 | (k.raddr() & 0xffffffffL)) ^ ((long) k.lport() << 48 | (long) k.rport() << 16)
                ^ mix(k.lhi() ^ k.rhi() * 31 ^ (k.llo() >>> 32) * 17 ^ (k.rlo() >>> 32));
    }

    /** secure_tcp_seq: a keyed hash of the four-tuple plus a clock ticking every 64 ns (RFC 6528). */
    int secureSeq(Key k, long nowNanos) {
        return (int) (mix(tuple(k) ^ isnSecret) + (nowNanos >> 6));
    }

    /** secure_tcp_ts_off: the per-connection offset of the timestamp clock. */
    int secureTsOff(Key k) {
        return (int) mix(((long) k.laddr() << 32 | (k.raddr() & 0xffffffffL)) ^ mix(k.lhi() ^ k.rhi() * 31) ^ tsSecret);
    }

    // ---- lookups

    /** The connection or listener of a received segment (__inet_lookup_skb / __inet6_lookup_skb). */
    Object lookup(TcpSeg seg) {
        if (!seg.v6()) return lookup(seg.saddr, seg.sport, seg.daddr, seg.dport, seg.iif);
        Object o = ehash.get(Key.of6(seg.daddr6, seg.dport, seg.saddr6, seg.sport));
        if (o != null) return o;
        return lookupListener6(seg.saddr6, seg.sport, seg.daddr6, seg.dport, seg.iif);
    }

    /** The listener of a received segment. */
    TcpSock lookupListener(TcpSeg seg) {
        if (!seg.v6()) return lookupListener(seg.saddr, seg.sport, seg.daddr, seg.dport, seg.iif);
        return lookupListener6(seg.saddr6, seg.sport, seg.daddr6, seg.dport, seg.iif);
    }

    /** __inet_lookup_established then __inet_lookup_listener: a TcpSock, a TimeWaitSock, or null. */
    Object lookup(int saddr, int sport, int daddr, int dport, int ifindex) {
        Object o = ehash.get(new Key(daddr, dport, saddr, sport));
        if (o != null) return o;
        return lookupListener(saddr, sport, daddr, dport, ifindex);
    }

    /**
     * inet_lhash2_lookup: the best-scoring listener on the port (an exact address over a
     * wildcard, a device match over none); among SO_REUSEPORT listeners of the same score one
     * is chosen by a hash of the four-tuple.
     */
    synchronized TcpSock lookupListener(int saddr, int sport, int daddr, int dport, int ifindex) {
        List<TcpSock> l = listeners.get(dport);
        if (l == null) return null;
        int best = -1;
        List<TcpSock> bests = new ArrayList<>();
        for (TcpSock s : l) {
            if (s.v6 != null && s.v6.ipv6only) continue;
            int score = s.family == dev.kava.abi.Socket.AF_INET ? 2 : 1;
            if (s.rcvSaddr != 0) {
                if (s.rcvSaddr != daddr) continue;
                score += 4;
            }
            if (s.boundDevIf != 0) {
                if (s.boundDevIf != ifindex) continue;
                score += 4;
            }
            if (score > best) {
                best = score;
                bests.clear();
            }
            if (score == best) bests.add(s);
        }
        if (bests.isEmpty()) return null;
        TcpSock first = bests.get(0);
        if (!first.reuseport || bests.size() == 1) return first;
        int h = (int) mix(tuple(new Key(daddr, dport, saddr, sport)));
        return bests.get(Math.floorMod(h, bests.size()));
    }

    /**
     * inet6_lhash2_lookup: the best AF_INET6 listener on the port for an IPv6 segment (one
     * bound to daddr over a wildcard one, a device match over none).
     */
    synchronized TcpSock lookupListener6(byte[] saddr, int sport, byte[] daddr, int dport, int ifindex) {
        List<TcpSock> l = listeners.get(dport);
        if (l == null) return null;
        int best = -1;
        List<TcpSock> bests = new ArrayList<>();
        for (TcpSock s : l) {
            if (s.family != dev.kava.abi.Socket.AF_INET6) continue;
            int score = 1;
            if (!dev.kava.net.ipv6.Ip6Addr.isAny(s.v6.rcvSaddr)) {
                if (!java.util.Arrays.equals(s.v6.rcvSaddr, daddr)) continue;
                score += 4;
            }
            if (s.boundDevIf != 0) {
                if (s.boundDevIf != ifindex) continue;
                score += 4;
            }
            if (score > best) {
                best = score;
                bests.clear();
            }
            if (score == best) bests.add(s);
        }
        if (bests.isEmpty()) return null;
        TcpSock first = bests.get(0);
        if (!first.reuseport || bests.size() == 1) return first;
        int h = (int) mix(tuple(Key.of6(daddr, dport, saddr, sport)));
        return bests.get(Math.floorMod(h, bests.size()));
    }

    // ---- bound ports (inet_csk_get_port and inet_bind_conflict)

    static int portOf(Object o) {
        return o instanceof TcpSock s ? s.num : ((TimeWaitSock) o).lport;
    }

    /**
     * inet_bind_conflict: whether sk may not share its port with sk2. Different bound devices
     * never conflict; both SO_REUSEADDR with sk2 not listening, or both SO_REUSEPORT by the
     * same user (or sk2 in TIME_WAIT), may share; otherwise overlapping addresses conflict.
     */
    static boolean conflict(TcpSock sk, Object o) {
        int dev2, uid2, state2;
        boolean reuse2, reuseport2, overlap;
        if (o instanceof TcpSock s2) {
            if (s2 == sk) return false;
            overlap = InetHashes.rcvSaddrEqual(sk, s2, true);
            dev2 = s2.boundDevIf;
            reuse2 = s2.reuse;
            reuseport2 = s2.reuseport;
            uid2 = s2.uid;
            state2 = s2.state;
        } else {
            TimeWaitSock tw = (TimeWaitSock) o;
            overlap = sk.family == dev.kava.abi.Socket.AF_INET6
                    ? InetHashes.ipv6RcvSaddrEqual(sk.v6.rcvSaddr, tw.laddr6, sk.rcvSaddr, tw.laddr, sk.v6.ipv6only,
                            tw.ipv6only, true, true)
                    : InetHashes.ipv4RcvSaddrEqual(sk.rcvSaddr, tw.laddr, tw.ipv6only, true, true);
            dev2 = tw.boundDevIf;
            reuse2 = tw.reuse;
            reuseport2 = tw.reuseport;
            uid2 = tw.uid;
            state2 = Tcp.TCP_TIME_WAIT;
        }
        if (sk.boundDevIf != 0 && dev2 != 0 && sk.boundDevIf != dev2) return false;
        if (!overlap) return false;
        if (sk.reuse && reuse2 && state2 != Tcp.TCP_LISTEN) return false;
        if (sk.reuseport && reuseport2 && (state2 == Tcp.TCP_TIME_WAIT || sk.uid == uid2)) return false;
        return true;
    }

    private boolean portFree(TcpSock sk, int port) {
        List<Object> l = bhash.get(port);
        if (l == null) return true;
        for (Object o : l) if (conflict(sk, o)) return false;
        return true;
    }

    /**
     * inet_csk_get_port: takes snum for sk, or with snum 0 a free ephemeral port from the
     * socket's range (inet_csk_find_open_port, starting at a random point). False if none.
     */
    synchronized boolean getPort(TcpSock sk, int snum, int[] range) {
        if (snum == 0) {
            int lo = range[0], hi = range[1];
            int n = hi - lo + 1;
            int start = java.util.concurrent.ThreadLocalRandom.current().nextInt(n);
            for (int i = 0; i < n; i++) {
                int port = lo + (start + i) % n;
                List<Object> l = bhash.get(port);
                if (l == null || l.isEmpty()) {
                    addBound(sk, port);
                    return true;
                }
            }
            for (int i = 0; i < n; i++) {
                int port = lo + (start + i) % n;
                if (portFree(sk, port)) {
                    addBound(sk, port);
                    return true;
                }
            }
            return false;
        }
        if (!portFree(sk, snum)) return false;
        addBound(sk, snum);
        return true;
    }

    /**
     * __inet_hash_connect: an ephemeral port for a connecting socket whose four-tuple is unique;
     * ports used only by other connections may be shared. False if none is left (EADDRNOTAVAIL).
     */
    synchronized boolean connectPort(TcpSock sk, int[] range) {
        int lo = range[0], hi = range[1];
        int n = hi - lo + 1;
        int start = java.util.concurrent.ThreadLocalRandom.current().nextInt(n);
        for (int pass = 0; pass < 2; pass++) {
            for (int i = 0; i < n; i++) {
                int port = lo + (start + i) % n;
                List<Object> l = bhash.get(port);
                boolean ok;
                if (pass == 0) {
                    ok = l == null || l.isEmpty();
                } else {
                    ok = !ehash.containsKey(sk.keyFor(port));
                    if (ok && l != null) {
                        for (Object o : l) {
                            if (o instanceof TcpSock s && (s.state == Tcp.TCP_LISTEN || (s.userlocks & InetSock.SOCK_BINDPORT_LOCK) != 0)) ok = false;
                        }
                    }
                }
                if (ok) {
                    addBound(sk, port);
                    return true;
                }
            }
        }
        return false;
    }

    synchronized void addBound(Object o, int port) {
        if (o instanceof TcpSock s) s.num = port;
        bhash.computeIfAbsent(port, p -> new ArrayList<>()).add(o);
    }

    /** inet_put_port */
    synchronized void putPort(Object o) {
        int port = portOf(o);
        List<Object> l = bhash.get(port);
        if (l == null) return;
        l.removeIf(x -> x == o);
        if (l.isEmpty()) bhash.remove(port);
    }

    synchronized void replaceBound(Object old, Object now) {
        List<Object> l = bhash.get(portOf(old));
        if (l == null) return;
        for (int i = 0; i < l.size(); i++) {
            if (l.get(i) == old) {
                l.set(i, now);
                return;
            }
        }
    }

    synchronized void addListener(TcpSock sk) {
        listeners.computeIfAbsent(sk.num, p -> new ArrayList<>()).add(sk);
    }

    synchronized void removeListener(TcpSock sk) {
        List<TcpSock> l = listeners.get(sk.num);
        if (l == null) return;
        l.remove(sk);
        if (l.isEmpty()) listeners.remove(sk.num);
    }

    /** Every socket of the tables for /proc/net/tcp: listeners by port, then connections. */
    synchronized List<Object> all() {
        List<Object> out = new ArrayList<>();
        for (List<TcpSock> l : new java.util.TreeMap<>(listeners).values()) out.addAll(l);
        out.addAll(ehash.values());
        return out;
    }
}
