package dev.kava.net.ipv4;

import dev.kava.abi.Errno;
import dev.kava.abi.If;
import dev.kava.abi.IfAddr;
import dev.kava.abi.In;
import dev.kava.abi.Rtnetlink;
import dev.kava.abi.Socket;
import dev.kava.abi.Sockios;
import dev.kava.kernel.ErrnoException;
import dev.kava.net.core.Dev;
import dev.kava.net.core.Net;
import dev.kava.net.core.NetDevice;
import dev.kava.net.core.NetdevEvent;
import dev.kava.net.core.SkBuff;

import java.util.List;

/**
 * IPv4 addresses of devices (net/ipv4/devinet.c): the in_device of each device, adding and
 * removing addresses ({@link #insert}, {@link #delete}: inet_insert_ifa, inet_del_ifa), source
 * address selection ({@link #selectAddr}), the address ioctls and SIOCGIFCONF. Changes are
 * made under RTNL; each is told to netlink listeners first and then to the FIB, which adds
 * or removes the address's routes (the inetaddr notifier chain).
 */
public final class Devinet {
    private Devinet() {}

    /** inetdev_valid_mtu: IPv4 needs at least 68 bytes. */
    static boolean validMtu(int mtu) {
        return mtu >= 68;
    }

    /** inetdev_event: in_device life cycle and lo's 127.0.0.1/8 when it comes up. */
    static void netdevEvent(Net net, NetdevEvent ev, NetDevice dev) {
        InDevice in = InDevice.of(dev);
        switch (ev) {
            case REGISTER -> {
                if (in == null && validMtu(dev.mtu)) dev.ip4Ptr = new InDevice(dev);
            }
            case UP -> {
                if (in == null || !validMtu(dev.mtu)) return;
                if ((dev.flags & If.IFF_LOOPBACK) != 0) {
                    InIfaddr ifa = new InIfaddr(in, In.INADDR_LOOPBACK, 8);
                    ifa.scope = Rtnetlink.RT_SCOPE_HOST;
                    ifa.flags |= IfAddr.IFA_F_PERMANENT; // set_ifa_lifetime(ifa, INFINITY_LIFE_TIME, INFINITY_LIFE_TIME)
                    try {
                        insert(net, ifa);
                    } catch (ErrnoException e) {
                        // EEXIST: lo came up again with its address still there.
                    }
                }
            }
            case CHANGEMTU -> {
                if (in == null) {
                    // Re-enabling IP: a fresh in_device, without addresses.
                    if (validMtu(dev.mtu)) dev.ip4Ptr = new InDevice(dev);
                } else if (!validMtu(dev.mtu)) {
                    // Disable IP when the MTU is not enough: the in_device and its addresses go.
                    destroy(net, dev, in);
                }
            }
            case UNREGISTER -> {
                if (in != null) destroy(net, dev, in);
            }
            case CHANGENAME -> {
                // inetdev_changename: labels follow the device name, keeping an alias suffix.
                if (in != null) {
                    for (InIfaddr ifa : in.addresses()) {
                        int colon = ifa.label.indexOf(':');
                        ifa.label = colon < 0 ? dev.name : dev.name + ifa.label.substring(colon);
                    }
                }
            }
            default -> { }
        }
    }

    /** inetdev_destroy: every address goes (RTM_DELADDR and its routes), then the in_device. */
    private static void destroy(Net net, NetDevice dev, InDevice in) {
        for (InIfaddr ifa : in.addresses()) {
            if (in.remove(ifa)) {
                net.notifyAddr4(ifa, true);
                net.ipv4.fib.delIfaddr(ifa);
            }
        }
        dev.ip4Ptr = null;
    }

    private static long nowCs(Net net) {
        return net.kernel != null ? net.kernel.clock().monotonicNanos() / 10_000_000L : System.nanoTime() / 10_000_000L;
    }

    /**
     * __inet_insert_ifa: an address with the same prefix as an existing one becomes its
     * secondary (EINVAL if their scopes differ), the same local address twice is EEXIST, and a
     * primary goes after the last primary of equal or wider scope. Then RTM_NEWADDR, then the
     * routes. Call with RTNL held.
     */
    public static void insert(Net net, InIfaddr ifa) {
        InDevice in = ifa.dev;
        if (ifa.local == 0) return;
        ifa.flags &= ~IfAddr.IFA_F_SECONDARY;
        ifa.flags &= ~(IfAddr.IFA_F_NODAD | IfAddr.IFA_F_OPTIMISTIC | IfAddr.IFA_F_DADFAILED | IfAddr.IFA_F_HOMEADDRESS
                | IfAddr.IFA_F_TENTATIVE | IfAddr.IFA_F_MANAGETEMPADDR | IfAddr.IFA_F_STABLE_PRIVACY);
        List<InIfaddr> list = in.addresses();
        int lastPrimary = 0;
        for (int i = 0; i < list.size(); i++) {
            InIfaddr o = list.get(i);
            if (!o.secondary() && ifa.scope <= o.scope) lastPrimary = i + 1;
            if (o.mask == ifa.mask && ifa.matches(o.address)) {
                if (o.local == ifa.local) throw ErrnoException.of(Errno.EEXIST);
                if (o.scope != ifa.scope) throw ErrnoException.of(Errno.EINVAL);
                ifa.flags |= IfAddr.IFA_F_SECONDARY;
            }
        }
        ifa.cstamp = ifa.tstamp = nowCs(net);
        in.add(ifa.secondary() ? list.size() : lastPrimary, ifa);
        net.notifyAddr4(ifa, false);
        net.ipv4.fib.addIfaddr(ifa);
    }

    /**
     * __inet_del_ifa: removes an address; removing a primary removes its secondaries too (as
     * with net.ipv4.conf.*.promote_secondaries 0, Linux's default). RTM_DELADDR for each, then
     * their routes. Call with RTNL held.
     */
    public static void delete(Net net, InIfaddr ifa) {
        InDevice in = ifa.dev;
        if (!ifa.secondary()) {
            for (InIfaddr o : in.addresses()) {
                if (o != ifa && o.secondary() && o.mask == ifa.mask && ifa.matches(o.address)) {
                    if (in.remove(o)) {
                        net.notifyAddr4(o, true);
                        net.ipv4.fib.delIfaddr(o);
                    }
                }
            }
        }
        if (!in.remove(ifa)) throw ErrnoException.of(Errno.EADDRNOTAVAIL);
        net.notifyAddr4(ifa, true);
        net.ipv4.fib.delIfaddr(ifa);
    }

    /**
     * inet_select_addr: a source address for talking to dst from dev: a primary of dev with
     * scope at most scope, preferring one in dst's prefix; else one of any device that is not
     * link-scoped. 0 if none.
     */
    public static int selectAddr(Net net, NetDevice dev, int dst, int scope) {
        int addr = 0;
        InDevice in = InDevice.of(dev);
        if (in != null) {
            for (InIfaddr ifa : in.addresses()) {
                if (ifa.secondary()) continue;
                if (ifa.scope > scope) continue;
                if (dst == 0 || ifa.matches(dst)) return ifa.local;
                if (addr == 0) addr = ifa.local;
            }
        }
        if (addr != 0) return addr;
        for (NetDevice d : net.devices()) {
            InDevice i2 = InDevice.of(d);
            if (i2 == null) continue;
            for (InIfaddr ifa : i2.addresses()) {
                if (ifa.secondary()) continue;
                if (ifa.scope != Rtnetlink.RT_SCOPE_LINK && ifa.scope <= scope) return ifa.local;
            }
        }
        return 0;
    }

    /** The addresses of every device, in device then list order. */
    public static java.util.List<InIfaddr> allAddresses(Net net) {
        java.util.List<InIfaddr> out = new java.util.ArrayList<>();
        for (NetDevice d : net.devices()) {
            InDevice in = InDevice.of(d);
            if (in != null) out.addAll(in.addresses());
        }
        return out;
    }

    // ---- ioctls

    /** inet_abc_len: the classful prefix length of an address, -1 for class D/E. */
    static int abcLen(int addr) {
        if (Ip.isZeronet(addr) || addr == 0) return 0;
        if ((addr & 0x80000000) == 0) return 8;
        if ((addr & 0xc0000000) == 0x80000000) return 16;
        if ((addr & 0xe0000000) == 0xc0000000) return 24;
        return -1;
    }

    /**
     * devinet_ioctl on a struct ifreq (already copied in; written back by the caller when this
     * returns normally): the address, broadcast, peer and netmask of the address labelled
     * ifr_name (an address matching the one given, 4.4BSD-style, first), and setting them
     * (CAP_NET_ADMIN). ENODEV for no such device, EADDRNOTAVAIL for no such address.
     */
    public static void ioctl(Net net, boolean admin, int cmd, byte[] ifr) {
        String name = ifrName(ifr);
        int sinFamily = (ifr[If.IFR_IFRU] & 0xff) | (ifr[If.IFR_IFRU + 1] & 0xff) << 8; // sa_family: host order
        int sinAddr = SkBuff.get32(ifr, If.IFR_IFRU + In.SIN_ADDR);
        boolean tryAddrMatch = false;
        switch (cmd) {
            case Sockios.SIOCGIFADDR, Sockios.SIOCGIFBRDADDR, Sockios.SIOCGIFDSTADDR, Sockios.SIOCGIFNETMASK -> {
                tryAddrMatch = sinFamily == Socket.AF_INET;
                java.util.Arrays.fill(ifr, If.IFR_IFRU, If.IFR_IFRU + In.SOCKADDR_IN_SIZE, (byte) 0);
                ifr[If.IFR_IFRU] = (byte) Socket.AF_INET;
            }
            case Sockios.SIOCSIFFLAGS -> {
                if (!admin) throw ErrnoException.of(Errno.EPERM);
            }
            case Sockios.SIOCSIFADDR, Sockios.SIOCSIFBRDADDR, Sockios.SIOCSIFDSTADDR, Sockios.SIOCSIFNETMASK -> {
                if (!admin) throw ErrnoException.of(Errno.EPERM);
                if (sinFamily != Socket.AF_INET) throw ErrnoException.of(Errno.EINVAL);
            }
            default -> throw ErrnoException.of(Errno.EINVAL);
        }
        int colon = name.indexOf(':');
        String devName = colon < 0 ? name : name.substring(0, colon);
        net.rtnl.lock();
        try {
            NetDevice dev = net.devByName(devName);
            if (dev == null) throw ErrnoException.of(Errno.ENODEV);
            InDevice in = InDevice.of(dev);
            InIfaddr ifa = null;
            if (in != null) {
                if (tryAddrMatch) {
                    for (InIfaddr a : in.addresses()) if (a.label.equals(name) && a.local == sinAddr) { ifa = a; break; }
                }
                if (ifa == null) for (InIfaddr a : in.addresses()) if (a.label.equals(name)) { ifa = a; break; }
            }
            if (ifa == null && cmd != Sockios.SIOCSIFADDR && cmd != Sockios.SIOCSIFFLAGS) throw ErrnoException.of(Errno.EADDRNOTAVAIL);
            switch (cmd) {
                case Sockios.SIOCGIFADDR -> SkBuff.put32(ifr, If.IFR_IFRU + In.SIN_ADDR, ifa.local);
                case Sockios.SIOCGIFBRDADDR -> SkBuff.put32(ifr, If.IFR_IFRU + In.SIN_ADDR, ifa.broadcast);
                case Sockios.SIOCGIFDSTADDR -> SkBuff.put32(ifr, If.IFR_IFRU + In.SIN_ADDR, ifa.address);
                case Sockios.SIOCGIFNETMASK -> SkBuff.put32(ifr, If.IFR_IFRU + In.SIN_ADDR, ifa.mask);
                case Sockios.SIOCSIFFLAGS -> {
                    int flags = (ifr[If.IFR_IFRU] & 0xff) | (ifr[If.IFR_IFRU + 1] & 0xff) << 8;
                    if (colon >= 0) {
                        if (ifa == null) throw ErrnoException.of(Errno.EADDRNOTAVAIL);
                        if ((flags & If.IFF_UP) == 0) delete(net, ifa);
                    } else {
                        Dev.changeFlags(dev, (short) flags & 0xffff);
                    }
                }
                case Sockios.SIOCSIFADDR -> {
                    if (abcLen(sinAddr) < 0) throw ErrnoException.of(Errno.EINVAL);
                    if (in == null) throw ErrnoException.of(Errno.ENOBUFS);
                    String label = colon >= 0 ? name : dev.name;
                    if (ifa != null) {
                        if (ifa.local == sinAddr) return;
                        delete(net, ifa);
                        label = ifa.label;
                    }
                    InIfaddr n = new InIfaddr(in, sinAddr, 32);
                    n.label = label;
                    if ((dev.flags & If.IFF_POINTOPOINT) == 0) {
                        n.prefixlen = abcLen(sinAddr);
                        n.mask = Ip.mask(n.prefixlen);
                        if ((dev.flags & If.IFF_BROADCAST) != 0 && n.prefixlen < 31) n.broadcast = sinAddr | ~n.mask;
                    }
                    n.scope = Ip.isLoopback(sinAddr) ? Rtnetlink.RT_SCOPE_HOST : Rtnetlink.RT_SCOPE_UNIVERSE;
                    n.flags |= IfAddr.IFA_F_PERMANENT; // set_ifa_lifetime with infinite lifetimes
                    insert(net, n);
                }
                case Sockios.SIOCSIFBRDADDR -> {
                    if (ifa.broadcast != sinAddr) {
                        delete(net, ifa);
                        ifa.broadcast = sinAddr;
                        insert(net, ifa);
                    }
                }
                case Sockios.SIOCSIFDSTADDR -> {
                    if (ifa.address != sinAddr) {
                        if (abcLen(sinAddr) < 0) throw ErrnoException.of(Errno.EINVAL);
                        delete(net, ifa);
                        ifa.address = sinAddr;
                        insert(net, ifa);
                    }
                }
                case Sockios.SIOCSIFNETMASK -> {
                    int len = Ip.maskLen(sinAddr);
                    if (len < 0) throw ErrnoException.of(Errno.EINVAL);
                    if (ifa.mask != sinAddr) {
                        int oldMask = ifa.mask;
                        delete(net, ifa);
                        ifa.mask = sinAddr;
                        ifa.prefixlen = len;
                        // A broadcast address that was the old prefix's is recomputed for the new one.
                        if ((dev.flags & If.IFF_BROADCAST) != 0 && ifa.prefixlen < 31
                                && ifa.broadcast == (ifa.local | ~oldMask)) {
                            ifa.broadcast = ifa.local | ~sinAddr;
                        }
                        insert(net, ifa);
                    }
                }
                default -> throw ErrnoException.of(Errno.EINVAL);
            }
        } finally {
            net.rtnl.unlock();
        }
    }

    /** ifr_name: up to IFNAMSIZ-1 bytes, NUL-terminated (the caller has forced the last byte to 0). */
    public static String ifrName(byte[] ifr) {
        int n = 0;
        while (n < If.IFNAMSIZ - 1 && ifr[n] != 0) n++;
        return new String(ifr, 0, n, java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    /**
     * inet_gifconf for one device: a struct ifreq (name = the address's label, ifr_addr its
     * sockaddr_in) per address while room is left. With out null, only counts the bytes needed.
     */
    public static int gifconf(NetDevice dev, java.io.ByteArrayOutputStream out, int len) {
        InDevice in = InDevice.of(dev);
        if (in == null) return 0;
        int done = 0;
        for (InIfaddr ifa : in.addresses()) {
            if (out == null) {
                done += If.IFREQ_SIZE;
                continue;
            }
            if (len < If.IFREQ_SIZE) break;
            byte[] r = new byte[If.IFREQ_SIZE];
            byte[] label = ifa.label.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
            System.arraycopy(label, 0, r, 0, Math.min(label.length, If.IFNAMSIZ - 1));
            r[If.IFR_IFRU] = (byte) Socket.AF_INET;
            SkBuff.put32(r, If.IFR_IFRU + In.SIN_ADDR, ifa.local);
            out.writeBytes(r);
            len -= If.IFREQ_SIZE;
            done += If.IFREQ_SIZE;
        }
        return done;
    }
}
