package dev.kava.net.ipv4;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** The raw sockets of a namespace, IPv4 and IPv6 (raw_v4_hashinfo, raw_v6_hashinfo). */
public final class RawTable {
    private final List<RawSock> socks = new CopyOnWriteArrayList<>();

    void hash(RawSock sk) {
        if (!socks.contains(sk)) socks.add(sk);
    }

    void unhash(RawSock sk) {
        socks.remove(sk);
    }

    public List<RawSock> all() {
        return new ArrayList<>(socks);
    }
}
