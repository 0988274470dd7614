package dev.kava.net.ipv4;

import dev.kava.abi.Errno;
import dev.kava.abi.Socket;
import dev.kava.kernel.ErrnoException;
import dev.kava.net.ipv6.Ip6Addr;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A namespace's UDP sockets by local port (struct udp_table, net/ipv4/udp.c), shared by UDP
 * over IPv4 and IPv6 as in Linux. Port allocation follows udp_lib_get_port and
 * udp_lib_lport_inuse; lookups score candidates as compute_score does (exact local address
 * before wildcard, connected before unconnected, bound device, family). Guarded by its monitor,
 * taken after a socket's own.
 */
public final class UdpTable {
    private final Map<Integer, List<UdpSock>> byPort = new HashMap<>();
    private final Random random = new Random();

    /** udp_lib_lport_inuse: whether sk may not have port because another socket holds an overlapping binding. */
    private boolean inuse(UdpSock sk, int port) {
        List<UdpSock> l = byPort.get(port);
        if (l == null) return false;
        for (UdpSock sk2 : l) {
            if (sk2 == sk) continue;
            if (sk2.reuse && sk.reuse) continue;
            if (sk2.boundDevIf != 0 && sk.boundDevIf != 0 && sk2.boundDevIf != sk.boundDevIf) continue;
            if (!InetHashes.rcvSaddrEqual(sk, sk2, true)) continue;
            if (sk2.reuseport && sk.reuseport && sk.uid == sk2.uid) continue;
            return true;
        }
        return false;
    }

    /**
     * udp_lib_get_port: port snum if free for sk, else EADDRINUSE; snum 0 picks a free port of
     * the local range starting at a random point. Sets sk.num and hashes the socket.
     */
    synchronized void getPort(UdpSock sk, int snum) {
        if (snum == 0) {
            int[] r = sk.localPortRange();
            int lo = r[0], hi = r[1];
            int remaining = hi - lo + 1;
            int first = lo + random.nextInt(remaining);
            int found = 0;
            for (int i = 0; i < remaining; i++) {
                int p = lo + (first - lo + i) % remaining;
                if (!inuse(sk, p)) {
                    found = p;
                    break;
                }
            }
            if (found == 0) throw ErrnoException.of(Errno.EADDRINUSE);
            snum = found;
        } else if (inuse(sk, snum)) {
            throw ErrnoException.of(Errno.EADDRINUSE);
        }
        sk.num = snum;
        byPort.computeIfAbsent(snum, k -> new ArrayList<>()).add(sk);
    }

    synchronized void unhash(UdpSock sk) {
        List<UdpSock> l = byPort.get(sk.num);
        if (l != null && l.remove(sk) && l.isEmpty()) byPort.remove(sk.num);
    }

    /**
     * compute_score for an IPv4 datagram (udp4_lib_lookup2): -1 if sk does not take it. daddr
     * must equal the socket's bound address (the lookup runs again with INADDR_ANY for the
     * wildcard sockets).
     */
    private static int score4(UdpSock sk, int saddr, int sport, int daddr, int dif, int rcvSaddr) {
        if (sk.v6 != null && sk.v6.ipv6only) return -1;
        if (sk.rcvSaddr != rcvSaddr) return -1;
        int score = sk.family == Socket.AF_INET ? 2 : 1;
        if (sk.daddr != 0) {
            if (sk.daddr != saddr) return -1;
            score += 4;
        }
        if (sk.dport != 0) {
            if (sk.dport != sport) return -1;
            score += 4;
        }
        if (sk.boundDevIf != 0) {
            if (sk.boundDevIf != dif) return -1;
            score += 4;
        }
        return score;
    }

    /**
     * __udp4_lib_lookup: the socket a datagram from saddr:sport to daddr:dport belongs to:
     * sockets bound to daddr first, then wildcard ones; among a SO_REUSEPORT group, one chosen
     * by the flow's hash. Null if none.
     */
    synchronized UdpSock lookup4(int saddr, int sport, int daddr, int dport, int dif) {
        List<UdpSock> l = byPort.get(dport);
        if (l == null) return null;
        UdpSock r = best4(l, saddr, sport, daddr, dport, dif, daddr);
        if (r == null) r = best4(l, saddr, sport, daddr, dport, dif, 0);
        return r;
    }

    private UdpSock best4(List<UdpSock> l, int saddr, int sport, int daddr, int dport, int dif, int rcvSaddr) {
        UdpSock best = null;
        int badness = 0;
        List<UdpSock> group = null;
        for (UdpSock sk : l) {
            int s = score4(sk, saddr, sport, daddr, dif, rcvSaddr);
            if (s > badness) {
                best = sk;
                badness = s;
                group = null;
                if (sk.reuseport && sk.state != Sock.TCP_ESTABLISHED) {
                    group = new ArrayList<>();
                    group.add(sk);
                }
            } else if (s == badness && s > 0 && group != null && sk.reuseport && sk.uid == best.uid) {
                group.add(sk);
            }
        }
        if (group != null && group.size() > 1) {
            int h = java.util.Objects.hash(saddr, sport, daddr, dport);
            best = group.get(Math.floorMod(h, group.size()));
        }
        return best;
    }

    /** The sockets a broadcast to daddr:dport goes to (__udp4_lib_mcast_deliver's __udp_is_mcast_sock). */
    synchronized List<UdpSock> mcast4(int saddr, int sport, int daddr, int dport, int dif) {
        List<UdpSock> out = new ArrayList<>();
        List<UdpSock> l = byPort.get(dport);
        if (l == null) return out;
        for (UdpSock sk : l) {
            if (sk.v6 != null && sk.v6.ipv6only) continue;
            if ((sk.daddr != 0 && sk.daddr != saddr) || (sk.dport != 0 && sk.dport != sport)) continue;
            if (sk.rcvSaddr != 0 && sk.rcvSaddr != daddr) continue;
            if (sk.boundDevIf != 0 && sk.boundDevIf != dif) continue;
            out.add(sk);
        }
        return out;
    }

    /**
     * compute_score of udp6 (udp6_lib_lookup2): IPv6 sockets only; daddr must equal the
     * bound address (or the lookup is the second, wildcard pass).
     */
    private static int score6(UdpSock sk, byte[] saddr, int sport, byte[] daddr, int dif, boolean wildcardPass) {
        if (sk.family != Socket.AF_INET6) return -1;
        byte[] rcv = sk.v6.rcvSaddr;
        if (wildcardPass ? !Ip6Addr.isAny(rcv) : !java.util.Arrays.equals(rcv, daddr)) return -1;
        int score = 0;
        if (!Ip6Addr.isAny(sk.v6.daddr)) {
            if (!java.util.Arrays.equals(sk.v6.daddr, saddr)) return -1;
            score++;
        }
        if (sk.dport != 0) {
            if (sk.dport != sport) return -1;
            score++;
        }
        if (sk.boundDevIf != 0) {
            if (sk.boundDevIf != dif) return -1;
            score++;
        }
        return score;
    }

    /** __udp6_lib_lookup: exact local address first, then the IPv6 wildcard sockets. */
    public synchronized UdpSock lookup6(byte[] saddr, int sport, byte[] daddr, int dport, int dif) {
        List<UdpSock> l = byPort.get(dport);
        if (l == null) return null;
        for (boolean wild : new boolean[]{false, true}) {
            UdpSock best = null;
            int badness = -1;
            List<UdpSock> group = null;
            for (UdpSock sk : l) {
                int s = score6(sk, saddr, sport, daddr, dif, wild);
                if (s > badness) {
                    best = sk;
                    badness = s;
                    group = null;
                    if (sk.reuseport && sk.state != Sock.TCP_ESTABLISHED) {
                        group = new ArrayList<>();
                        group.add(sk);
                    }
                } else if (s == badness && s >= 0 && group != null && sk.reuseport && sk.uid == best.uid) {
                    group.add(sk);
                }
            }
            if (best != null) {
                if (group != null && group.size() > 1) {
                    int h = java.util.Arrays.hashCode(saddr) * 31 + sport;
                    best = group.get(Math.floorMod(h, group.size()));
                }
                return best;
            }
        }
        return null;
    }

    /** Every socket, by port (for /proc/net/udp and udp6). */
    public synchronized List<UdpSock> all() {
        List<UdpSock> out = new ArrayList<>();
        byPort.keySet().stream().sorted().forEach(p -> out.addAll(byPort.get(p)));
        return out;
    }

    /** Sock.TCP_ESTABLISHED, for the scoring above. */
    private static final class Sock {
        static final int TCP_ESTABLISHED = dev.kava.net.Sock.TCP_ESTABLISHED;
    }
}
