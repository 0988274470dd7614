package dev.kava.abi;

/** The socket-level ioctls on interfaces and routes (include/uapi/linux/sockios.h). */
public final class Sockios {
    private Sockios() {}

    public static final int SIOCADDRT = 0x890B;
    public static final int SIOCDELRT = 0x890C;
    public static final int SIOCRTMSG = 0x890D;
    public static final int SIOCGIFNAME = 0x8910;
    public static final int SIOCSIFLINK = 0x8911;
    public static final int SIOCGIFCONF = 0x8912;
    public static final int SIOCGIFFLAGS = 0x8913;
    public static final int SIOCSIFFLAGS = 0x8914;
    public static final int SIOCGIFADDR = 0x8915;
    public static final int SIOCSIFADDR = 0x8916;
    public static final int SIOCGIFDSTADDR = 0x8917;
    public static final int SIOCSIFDSTADDR = 0x8918;
    public static final int SIOCGIFBRDADDR = 0x8919;
    public static final int SIOCSIFBRDADDR = 0x891a;
    public static final int SIOCGIFNETMASK = 0x891b;
    public static final int SIOCSIFNETMASK = 0x891c;
    public static final int SIOCGIFMETRIC = 0x891d;
    public static final int SIOCSIFMETRIC = 0x891e;
    public static final int SIOCGIFMEM = 0x891f;
    public static final int SIOCSIFMEM = 0x8920;
    public static final int SIOCGIFMTU = 0x8921;
    public static final int SIOCSIFMTU = 0x8922;
    public static final int SIOCSIFNAME = 0x8923;
    public static final int SIOCSIFHWADDR = 0x8924;
    public static final int SIOCGIFENCAP = 0x8925;
    public static final int SIOCSIFENCAP = 0x8926;
    public static final int SIOCGIFHWADDR = 0x8927;
    public static final int SIOCGIFSLAVE = 0x8929;
    public static final int SIOCSIFSLAVE = 0x8930;
    public static final int SIOCADDMULTI = 0x8931;
    public static final int SIOCDELMULTI = 0x8932;
    public static final int SIOCGIFINDEX = 0x8933;
    public static final int SIOCSIFPFLAGS = 0x8934;
    public static final int SIOCGIFPFLAGS = 0x8935;
    public static final int SIOCDIFADDR = 0x8936;
    public static final int SIOCSIFHWBROADCAST = 0x8937;
    public static final int SIOCGIFCOUNT = 0x8938;
    public static final int SIOCGIFBR = 0x8940;
    public static final int SIOCSIFBR = 0x8941;
    public static final int SIOCGIFTXQLEN = 0x8942;
    public static final int SIOCSIFTXQLEN = 0x8943;
    public static final int SIOCETHTOOL = 0x8946;
    public static final int SIOCGMIIPHY = 0x8947;
    public static final int SIOCGMIIREG = 0x8948;
    public static final int SIOCSMIIREG = 0x8949;
    public static final int SIOCWANDEV = 0x894A;
    public static final int SIOCOUTQNSD = 0x894B;
    public static final int SIOCGSKNS = 0x894C;
    public static final int SIOCDARP = 0x8953;
    public static final int SIOCGARP = 0x8954;
    public static final int SIOCSARP = 0x8955;
    public static final int SIOCGIFMAP = 0x8970;
    public static final int SIOCSIFMAP = 0x8971;
    public static final int SIOCSHWTSTAMP = 0x89b0;
    public static final int SIOCGHWTSTAMP = 0x89b1;
    public static final int SIOCDEVPRIVATE = 0x89F0;
    public static final int SIOCPROTOPRIVATE = 0x89E0;
}
