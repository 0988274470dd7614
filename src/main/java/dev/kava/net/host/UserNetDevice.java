package dev.kava.net.host;

import dev.kava.abi.If;
import dev.kava.abi.IfArp;
import dev.kava.abi.IfEther;
import dev.kava.net.core.Dev;
import dev.kava.net.core.Net;
import dev.kava.net.core.NetDevice;
import dev.kava.net.core.SkBuff;

import java.util.function.Consumer;

/**
 * One end of the user-mode network's link: an Ethernet device without ARP (IFF_NOARP; kava has
 * no neighbour subsystem, and the link has exactly two ends, so the peer's address is known).
 * What the stack sends goes to {@link #wire} as a frame; {@link #receive} takes a frame in from
 * the other end, its destination made this device's address, and hands it to the stack.
 */
final class UserNetDevice extends NetDevice {
    /** The default MTU of slirp and passt, and of Ethernet. */
    static final int MTU = 1500;

    /** Where sent frames go (a copy of the bytes from the Ethernet header on): the other end, or the NAT. */
    volatile Consumer<byte[]> wire = f -> {};

    UserNetDevice(Net net, String name, byte[] mac) {
        super(net, name);
        mtu = MTU;
        hardHeaderLen = IfEther.ETH_HLEN;
        addrLen = IfEther.ETH_ALEN;
        type = IfArp.ARPHRD_ETHER;
        flags = If.IFF_BROADCAST | If.IFF_MULTICAST | If.IFF_NOARP;
        devAddr = mac.clone();
        broadcast = new byte[]{-1, -1, -1, -1, -1, -1};
    }

    @Override
    protected int startXmit(SkBuff skb) {
        byte[] frame = skb.toByteArray();
        stats.txPackets.increment();
        stats.txBytes.add(frame.length);
        skb.free();
        wire.accept(frame);
        return NETDEV_TX_OK;
    }

    /** A frame from the other end (Ethernet header first): addressed to this device and received (netif_rx). */
    void receive(byte[] frame) {
        if (!isUp() || frame.length < IfEther.ETH_HLEN) return;
        SkBuff skb = SkBuff.alloc(SkBuff.MAX_HEADER, frame.length);
        int at = skb.putData(frame, 0, frame.length);
        System.arraycopy(devAddr, 0, skb.buf, at, IfEther.ETH_ALEN);
        skb.protocol = ethTypeTrans(skb);
        stats.rxPackets.increment();
        stats.rxBytes.add(frame.length - IfEther.ETH_HLEN);
        Dev.netifRx(skb);
    }
}
