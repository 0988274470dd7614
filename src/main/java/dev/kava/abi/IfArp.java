package dev.kava.abi;

/** ARP hardware types, the net_device type (include/uapi/linux/if_arp.h). */
public final class IfArp {
    private IfArp() {}

    public static final int ARPHRD_NETROM = 0;
    public static final int ARPHRD_ETHER = 1;
    public static final int ARPHRD_LOOPBACK = 772;
    public static final int ARPHRD_NONE = 0xFFFE;
    public static final int ARPHRD_VOID = 0xFFFF;
}
