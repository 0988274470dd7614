package dev.kava.abi;

/** Ethernet frames (include/uapi/linux/if_ether.h) and packet types (include/uapi/linux/if_packet.h). */
public final class IfEther {
    private IfEther() {}

    public static final int ETH_ALEN = 6;
    public static final int ETH_TLEN = 2;
    public static final int ETH_HLEN = 14;
    public static final int ETH_ZLEN = 60;
    public static final int ETH_DATA_LEN = 1500;
    public static final int ETH_FRAME_LEN = 1514;
    public static final int ETH_MIN_MTU = 68;
    public static final int ETH_MAX_MTU = 0xFFFF;

    public static final int ETH_P_LOOP = 0x0060;
    public static final int ETH_P_IP = 0x0800;
    public static final int ETH_P_ARP = 0x0806;
    public static final int ETH_P_IPV6 = 0x86DD;
    /** Lengths below this are 802.3 frame lengths, not ethertypes. */
    public static final int ETH_P_802_3_MIN = 0x0600;
    public static final int ETH_P_802_3 = 0x0001;
    public static final int ETH_P_ALL = 0x0003;
    public static final int ETH_P_802_2 = 0x0004;

    /** skb->pkt_type (PACKET_*, include/uapi/linux/if_packet.h). */
    public static final int PACKET_HOST = 0;
    public static final int PACKET_BROADCAST = 1;
    public static final int PACKET_MULTICAST = 2;
    public static final int PACKET_OTHERHOST = 3;
    public static final int PACKET_OUTGOING = 4;
    public static final int PACKET_LOOPBACK = 5;
}
