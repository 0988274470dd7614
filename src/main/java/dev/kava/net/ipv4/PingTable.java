package dev.kava.net.ipv4;

import dev.kava.abi.Errno;
import dev.kava.kernel.ErrnoException;

import java.util.ArrayList;
import java.util.List;

/** The ping sockets of a namespace by identifier, IPv4 and IPv6 (ping_table, net/ipv4/ping.c). */
public final class PingTable {
    private final List<PingSock> socks = new ArrayList<>();
    /** ping_port_rover: the last identifier handed out. */
    private int rover;

    /**
     * ping_get_port: ident 0 takes the next free identifier after the last one given (never 0);
     * a given one is EADDRINUSE if another socket has it and not both have SO_REUSEADDR (which
     * ping sockets start with).
     */
    synchronized void getPort(PingSock sk, int ident) {
        if (ident == 0) {
            int result = rover + 1;
            boolean found = false;
            for (int i = 0; i < (1 << 16); i++, result++) {
                result &= 0xffff;
                if (result == 0) result++;
                boolean used = false;
                for (PingSock o : socks) if (o.num == result) used = true;
                if (!used) {
                    rover = ident = result;
                    found = true;
                    break;
                }
            }
            if (!found) throw ErrnoException.of(Errno.EADDRINUSE);
        } else {
            for (PingSock o : socks) {
                if (o.num == ident && o != sk && (!o.reuse || !sk.reuse)) throw ErrnoException.of(Errno.EADDRINUSE);
            }
        }
        sk.num = ident;
        if (!socks.contains(sk)) socks.add(sk);
    }

    synchronized void unhash(PingSock sk) {
        socks.remove(sk);
    }

    /**
     * ping_lookup: the first socket of the identifier and the packet's family whose bound
     * address (if any) is the packet's destination and whose bound device (if any) it came in on.
     */
    synchronized PingSock lookup(int ident, boolean v6, int daddr, byte[] daddr6, int dif) {
        for (PingSock sk : socks) {
            if (sk.num != ident) continue;
            if (!v6 && sk.family == dev.kava.abi.Socket.AF_INET) {
                if (sk.rcvSaddr != 0 && sk.rcvSaddr != daddr) continue;
            } else if (v6 && sk.family == dev.kava.abi.Socket.AF_INET6) {
                if (!dev.kava.net.ipv6.Ip6Addr.isAny(sk.v6.rcvSaddr) && !java.util.Arrays.equals(sk.v6.rcvSaddr, daddr6)) continue;
            } else {
                continue;
            }
            if (sk.boundDevIf != 0 && sk.boundDevIf != dif) continue;
            return sk;
        }
        return null;
    }

    public synchronized List<PingSock> all() {
        return new ArrayList<>(socks);
    }
}
