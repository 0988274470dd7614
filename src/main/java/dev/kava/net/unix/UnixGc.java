package dev.kava.net.unix;

import dev.kava.fs.FdTable;
import dev.kava.fs.File;
import dev.kava.net.SocketFile;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Files in flight and their garbage collector (net/unix/garbage.c). A file passed with
 * SCM_RIGHTS holds a reference while it sits in a receive queue, so closing every descriptor
 * does not release it; the reference goes when the message is received or discarded. AF_UNIX
 * sockets passed over each other can make a cycle that no descriptor reaches any more: the
 * collector finds sockets whose every reference is in flight from sockets in the same
 * situation, and discards their queues, which releases the cycle.
 */
final class UnixGc {
    private UnixGc() {}

    /** In-flight references to each AF_UNIX socket file (the vertices' out-degree counts). Guarded by LOCK. */
    private static final Map<File, int[]> INFLIGHT = new IdentityHashMap<>();
    /** user->unix_inflight: files in flight per real uid. Guarded by LOCK. */
    private static final Map<Integer, long[]> USER_INFLIGHT = new HashMap<>();
    /** unix_tot_inflight: AF_UNIX sockets in flight. */
    private static long totalInflight;
    /** Set while a collection runs: releases it causes do not start another. */
    private static boolean collecting;

    static UnixSock sockOf(File f) {
        return f instanceof SocketFile s && s.sk instanceof UnixSock u ? u : null;
    }

    /** too_many_unix_fds: more files in flight for the caller's user than its RLIMIT_NOFILE, unless privileged. */
    static boolean tooMany(int uid, long nofile, boolean privileged) {
        synchronized (UnixSock.LOCK) {
            long[] n = USER_INFLIGHT.get(uid);
            return n != null && n[0] > nofile && !privileged;
        }
    }

    /** unix_add_edges: the message's files enter a receive queue. Call with LOCK held. */
    static void attach(UnixSkb skb) {
        if (skb.fp == null) return;
        for (File f : skb.fp) {
            if (sockOf(f) == null) continue;
            INFLIGHT.computeIfAbsent(f, k -> new int[1])[0]++;
            totalInflight++;
        }
        USER_INFLIGHT.computeIfAbsent(skb.fpUid, k -> new long[1])[0] += skb.fp.size();
    }

    /** unix_del_edges: the files leave the queue (received, or dropped with the message). Call with LOCK held. */
    static void detach(UnixSkb skb) {
        if (skb.fp == null) return;
        for (File f : skb.fp) {
            int[] c = INFLIGHT.get(f);
            if (c == null) continue;
            if (--c[0] <= 0) INFLIGHT.remove(f);
            totalInflight--;
        }
        long[] n = USER_INFLIGHT.get(skb.fpUid);
        if (n != null && (n[0] -= skb.fp.size()) <= 0) USER_INFLIGHT.remove(skb.fpUid);
    }

    /** How many references to f are in flight (for tests). */
    static int inflight(File f) {
        synchronized (UnixSock.LOCK) {
            int[] c = INFLIGHT.get(f);
            return c == null ? 0 : c[0];
        }
    }

    /** The buffers whose files a socket can still deliver: its queue and, for a listener, its embryos' queues. */
    private static List<UnixSkb> queued(UnixSock u) {
        List<UnixSkb> out = new ArrayList<>();
        for (UnixSkb s = u.rq.peek(); s != null; s = s.next) {
            out.add(s);
            if (u.state == UnixSock.TCP_LISTEN && s.sk != u) {
                for (UnixSkb e = s.sk.rq.peek(); e != null; e = e.next) out.add(e);
            }
        }
        return out;
    }

    /** unix_gc, run after a socket is released while sockets are in flight. */
    static void maybeCollect() {
        synchronized (UnixSock.LOCK) {
            if (totalInflight == 0 || collecting) return;
            collecting = true;
        }
        UnixSock.Deferred d = new UnixSock.Deferred();
        try {
            synchronized (UnixSock.LOCK) {
                collect(d);
            }
            d.run();
        } finally {
            synchronized (UnixSock.LOCK) {
                collecting = false;
            }
        }
    }

    private static void collect(UnixSock.Deferred d) {
        // Candidates: sockets every reference of which is in flight.
        Map<File, Integer> cand = new IdentityHashMap<>();
        for (Map.Entry<File, int[]> e : INFLIGHT.entrySet()) {
            if (FdTable.refCount(e.getKey()) == e.getValue()[0]) cand.put(e.getKey(), e.getValue()[0]);
        }
        if (cand.isEmpty()) return;
        // References among candidates.
        Map<File, int[]> internal = new IdentityHashMap<>();
        Map<File, List<UnixSkb>> queues = new IdentityHashMap<>();
        for (File f : cand.keySet()) {
            List<UnixSkb> q = queued(sockOf(f));
            queues.put(f, q);
            for (UnixSkb skb : q) {
                if (skb.fp == null) continue;
                for (File g : skb.fp) if (cand.containsKey(g)) internal.computeIfAbsent(g, k -> new int[1])[0]++;
            }
        }
        // A candidate with a reference from outside the candidates is alive, and so is all it can deliver.
        Set<File> alive = Collections.newSetFromMap(new IdentityHashMap<>());
        ArrayDeque<File> work = new ArrayDeque<>();
        for (Map.Entry<File, Integer> e : cand.entrySet()) {
            int[] in = internal.get(e.getKey());
            if (e.getValue() > (in == null ? 0 : in[0])) {
                alive.add(e.getKey());
                work.add(e.getKey());
            }
        }
        while (!work.isEmpty()) {
            for (UnixSkb skb : queues.get(work.poll())) {
                if (skb.fp == null) continue;
                for (File g : skb.fp) if (cand.containsKey(g) && alive.add(g)) work.add(g);
            }
        }
        // The rest is garbage: drop what their queues hold.
        for (File f : cand.keySet()) {
            if (alive.contains(f)) continue;
            UnixSock u = sockOf(f);
            u.purgeQueue(d);
        }
    }
}
