package dev.kava.net.core;

/**
 * A receive handler for one ethertype (struct packet_type, dev_add_pack): IPv4 registers for
 * ETH_P_IP, IPv6 for ETH_P_IPV6; an AF_PACKET tap would register for ETH_P_ALL. The handler
 * owns the packet it is given (it frees it, queues it or passes it on).
 */
@FunctionalInterface
public interface PacketHandler {
    /** NET_RX_SUCCESS / NET_RX_DROP */
    int NET_RX_SUCCESS = 0;
    int NET_RX_DROP = 1;

    int rcv(SkBuff skb, NetDevice dev);
}
