package dev.kava.net.core;

import java.util.concurrent.atomic.LongAdder;

/**
 * A device's counters (struct rtnl_link_stats64, include/uapi/linux/if_link.h), counted by
 * the driver and the core as packets pass. {@link #snapshot} reads them all at once for
 * /proc/net/dev and netlink's IFLA_STATS64.
 */
public final class LinkStats {
    public final LongAdder rxPackets = new LongAdder(), txPackets = new LongAdder();
    public final LongAdder rxBytes = new LongAdder(), txBytes = new LongAdder();
    public final LongAdder rxErrors = new LongAdder(), txErrors = new LongAdder();
    public final LongAdder rxDropped = new LongAdder(), txDropped = new LongAdder();
    public final LongAdder multicast = new LongAdder(), collisions = new LongAdder();
    public final LongAdder rxLengthErrors = new LongAdder(), rxOverErrors = new LongAdder();
    public final LongAdder rxCrcErrors = new LongAdder(), rxFrameErrors = new LongAdder();
    public final LongAdder rxFifoErrors = new LongAdder(), rxMissedErrors = new LongAdder();
    public final LongAdder txAbortedErrors = new LongAdder(), txCarrierErrors = new LongAdder();
    public final LongAdder txFifoErrors = new LongAdder(), txHeartbeatErrors = new LongAdder();
    public final LongAdder txWindowErrors = new LongAdder();
    public final LongAdder rxCompressed = new LongAdder(), txCompressed = new LongAdder();
    /** rx_nohandler: packets no protocol took. */
    public final LongAdder rxNohandler = new LongAdder();
    public final LongAdder rxOtherhostDropped = new LongAdder();

    /** The 24 counters of struct rtnl_link_stats64 plus rx_otherhost_dropped, in the struct's order. */
    public record Snapshot(long rxPackets, long txPackets, long rxBytes, long txBytes, long rxErrors, long txErrors,
                           long rxDropped, long txDropped, long multicast, long collisions, long rxLengthErrors,
                           long rxOverErrors, long rxCrcErrors, long rxFrameErrors, long rxFifoErrors,
                           long rxMissedErrors, long txAbortedErrors, long txCarrierErrors, long txFifoErrors,
                           long txHeartbeatErrors, long txWindowErrors, long rxCompressed, long txCompressed,
                           long rxNohandler, long rxOtherhostDropped) {}

    public Snapshot snapshot() {
        return new Snapshot(rxPackets.sum(), txPackets.sum(), rxBytes.sum(), txBytes.sum(), rxErrors.sum(),
                txErrors.sum(), rxDropped.sum(), txDropped.sum(), multicast.sum(), collisions.sum(),
                rxLengthErrors.sum(), rxOverErrors.sum(), rxCrcErrors.sum(), rxFrameErrors.sum(), rxFifoErrors.sum(),
                rxMissedErrors.sum(), txAbortedErrors.sum(), txCarrierErrors.sum(), txFifoErrors.sum(),
                txHeartbeatErrors.sum(), txWindowErrors.sum(), rxCompressed.sum(), txCompressed.sum(),
                rxNohandler.sum(), rxOtherhostDropped.sum());
    }
}
