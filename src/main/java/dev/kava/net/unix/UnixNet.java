package dev.kava.net.unix;

import dev.kava.kernel.Kernel;

import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;

/**
 * A network namespace's AF_UNIX state (struct netns_unix): the abstract names, the sockets
 * (/proc/net/unix lists them) and the sysctls. kava has one network namespace per kernel, so
 * kernels running side by side in one JVM do not see each other's names. Guarded by
 * {@link UnixSock#LOCK}.
 */
final class UnixNet {
    private static final Map<Kernel, UnixNet> NETS = new WeakHashMap<>();

    /**
     * How many AF_UNIX sockets may exist at once (unix_create1 refuses more than twice
     * fs.file-max with ENFILE): each keeps state on the Java heap.
     */
    static final int MAX_SOCKS = 1 << 18;

    /** net.unix.max_dgram_qlen: Linux's built-in default (unix_net_init). */
    int maxDgramQlen = 10;
    /** unix_nr_socks */
    int nrSocks;
    /** Every socket alive, in creation order. */
    final Set<UnixSock> socks = new LinkedHashSet<>();
    /** The abstract names: each socket type has its own (the hash Linux files them under includes the type). */
    final Map<AbstractKey, UnixSock> abstractNames = new HashMap<>();

    static UnixNet of(Kernel k) {
        synchronized (NETS) {
            return NETS.computeIfAbsent(k, x -> new UnixNet());
        }
    }

    /** An abstract address: its bytes (family included) and the socket type. */
    record AbstractKey(int type, byte[] name) {
        @Override
        public boolean equals(Object o) {
            return o instanceof AbstractKey k && k.type == type && Arrays.equals(k.name, name);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(name) * 31 + type;
        }
    }
}
