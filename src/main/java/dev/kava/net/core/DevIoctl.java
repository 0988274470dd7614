package dev.kava.net.core;

import dev.kava.abi.Errno;
import dev.kava.abi.If;
import dev.kava.abi.Sockios;
import dev.kava.kernel.ErrnoException;
import dev.kava.kernel.Task;
import dev.kava.kernel.Uaccess;
import dev.kava.net.ipv4.Devinet;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The interface ioctls every socket answers, whatever its family (net/core/dev_ioctl.c,
 * reached from sock_ioctl and sock_do_ioctl): SIOCGIFCONF, and on a struct ifreq the
 * device's name, index, flags, MTU, hardware address, queue length and metric, plus the
 * privileged setters of flags, MTU, queue length and name.
 */
public final class DevIoctl {
    private DevIoctl() {}

    /** SOCK_IOC_TYPE: _IOC_TYPE of the socket ioctls (0x89xx). */
    private static boolean isSocketIoctlCmd(int cmd) {
        return ((cmd >>> 8) & 0xff) == 0x89;
    }

    private static boolean admin(Task t) {
        return t.group.cred.euid() == 0;
    }

    /**
     * dev_ifconf: for each device, a struct ifreq per IPv4 address while the buffer has room
     * (a NULL buffer: just the length needed); the length used is written back to ifc_len.
     */
    public static long ifconf(Task t, Net net, long arg) {
        byte[] ifc = t.mem.read(arg, If.IFCONF_SIZE);
        int len = Uaccess.getInt(ifc, If.IFC_LEN);
        long buf = Uaccess.getLong(ifc, If.IFC_BUF);
        int total = 0;
        net.rtnl.lock();
        try {
            for (NetDevice dev : net.devices()) {
                if (buf == 0) {
                    total += Devinet.gifconf(dev, null, 0);
                } else {
                    ByteArrayOutputStream out = new ByteArrayOutputStream();
                    int done = Devinet.gifconf(dev, out, len - total);
                    if (done > 0) t.mem.write(buf + total, out.toByteArray());
                    total += done;
                }
            }
        } finally {
            net.rtnl.unlock();
        }
        t.mem.write32(arg + If.IFC_LEN, total);
        return 0;
    }

    /**
     * sock_do_ioctl's fallback after the family said ENOIOCTLCMD: ENOTTY for ioctls that are
     * not socket ioctls, EFAULT for an unreadable ifreq, then dev_ioctl. The ifreq is written
     * back when the call returns a value.
     */
    public static long sockDoIoctl(Task t, Net net, int cmd, long arg) {
        if (!isSocketIoctlCmd(cmd)) throw ErrnoException.of(Errno.ENOTTY);
        byte[] ifr = t.mem.read(arg, If.IFREQ_SIZE);
        if (devIoctl(t, net, cmd, ifr)) t.mem.write(arg, ifr);
        return 0;
    }

    private static String name(byte[] ifr) {
        ifr[If.IFNAMSIZ - 1] = 0;
        int n = 0;
        while (n < If.IFNAMSIZ && ifr[n] != 0) n++;
        String s = new String(ifr, 0, n, StandardCharsets.ISO_8859_1);
        int colon = s.indexOf(':');
        return colon < 0 ? s : s.substring(0, colon);
    }

    private static NetDevice dev(Net net, byte[] ifr) {
        NetDevice d = net.devByName(name(ifr));
        if (d == null) throw ErrnoException.of(Errno.ENODEV);
        return d;
    }

    private static int u(byte[] ifr) {
        return Uaccess.getInt(ifr, If.IFR_IFRU);
    }

    private static void putU(byte[] ifr, int v) {
        Uaccess.putInt(ifr, If.IFR_IFRU, v);
    }

    /** dev_ioctl: returns whether the ifreq is to be copied back. */
    static boolean devIoctl(Task t, Net net, int cmd, byte[] ifr) {
        if (cmd == Sockios.SIOCGIFNAME) {
            // dev_ifname: by ifr_ifindex
            NetDevice d = net.devByIndex(u(ifr));
            if (d == null) throw ErrnoException.of(Errno.ENODEV);
            java.util.Arrays.fill(ifr, 0, If.IFNAMSIZ, (byte) 0);
            byte[] n = d.name.getBytes(StandardCharsets.ISO_8859_1);
            System.arraycopy(n, 0, ifr, 0, Math.min(n.length, If.IFNAMSIZ - 1));
            return true;
        }
        switch (cmd) {
            case Sockios.SIOCGIFHWADDR -> {
                // netif_get_mac_address: sa_family is the device type, sa_data its address.
                // Only addr_len bytes of sa_data are written (all 14 zeroed for a device without an address).
                NetDevice d = dev(net, ifr);
                Uaccess.putShort(ifr, If.IFR_IFRU, d.type);
                byte[] a = d.devAddr;
                if (d.addrLen == 0) java.util.Arrays.fill(ifr, If.IFR_IFRU + 2, If.IFR_IFRU + 16, (byte) 0);
                else System.arraycopy(a, 0, ifr, If.IFR_IFRU + 2, Math.min(Math.min(a.length, d.addrLen), 14));
                return true;
            }
            case Sockios.SIOCGIFFLAGS -> {
                Uaccess.putShort(ifr, If.IFR_IFRU, (short) dev(net, ifr).getFlags());
                return true;
            }
            case Sockios.SIOCGIFMETRIC -> {
                dev(net, ifr);
                putU(ifr, 0);
                return true;
            }
            case Sockios.SIOCGIFMTU -> {
                putU(ifr, dev(net, ifr).mtu);
                return true;
            }
            case Sockios.SIOCGIFINDEX -> {
                putU(ifr, dev(net, ifr).ifindex);
                return true;
            }
            case Sockios.SIOCGIFTXQLEN -> {
                putU(ifr, dev(net, ifr).txQueueLen);
                return true;
            }
            case Sockios.SIOCGIFSLAVE -> {
                dev(net, ifr);
                throw ErrnoException.of(Errno.EINVAL);
            }
            case Sockios.SIOCGIFMAP -> {
                // dev_getifmap: a device without a map reports zeros.
                dev(net, ifr);
                java.util.Arrays.fill(ifr, If.IFR_IFRU, If.IFREQ_SIZE, (byte) 0);
                return true;
            }
            case Sockios.SIOCSIFNAME -> {
                if (!admin(t)) throw ErrnoException.of(Errno.EPERM);
                net.rtnl.lock();
                try {
                    NetDevice d = dev(net, ifr);
                    byte[] nn = java.util.Arrays.copyOfRange(ifr, If.IFR_IFRU, If.IFR_IFRU + If.IFNAMSIZ);
                    nn[If.IFNAMSIZ - 1] = 0;
                    int n = 0;
                    while (n < If.IFNAMSIZ && nn[n] != 0) n++;
                    Dev.changeName(d, new String(nn, 0, n, StandardCharsets.ISO_8859_1));
                } finally {
                    net.rtnl.unlock();
                }
                return true;
            }
            case Sockios.SIOCGMIIPHY, Sockios.SIOCGMIIREG -> {
                if (!admin(t)) throw ErrnoException.of(Errno.EPERM);
                dev(net, ifr);
                throw ErrnoException.of(Errno.EOPNOTSUPP);
            }
            case Sockios.SIOCSIFMAP, Sockios.SIOCSIFTXQLEN, Sockios.SIOCSIFFLAGS, Sockios.SIOCSIFMETRIC, Sockios.SIOCSIFMTU,
                 Sockios.SIOCSIFHWADDR, Sockios.SIOCSIFSLAVE, Sockios.SIOCADDMULTI, Sockios.SIOCDELMULTI,
                 Sockios.SIOCSIFHWBROADCAST, Sockios.SIOCSMIIREG, Sockios.SIOCSHWTSTAMP -> {
                if (!admin(t)) throw ErrnoException.of(Errno.EPERM);
                net.rtnl.lock();
                try {
                    ifsioc(net, cmd, ifr);
                } finally {
                    net.rtnl.unlock();
                }
                return false;
            }
            case Sockios.SIOCGIFMEM, Sockios.SIOCSIFMEM, Sockios.SIOCSIFLINK -> throw ErrnoException.of(Errno.ENOTTY);
            default -> {
                if (cmd == Sockios.SIOCWANDEV || (cmd >= Sockios.SIOCDEVPRIVATE && cmd <= Sockios.SIOCDEVPRIVATE + 15)) {
                    dev(net, ifr);
                    throw ErrnoException.of(Errno.EOPNOTSUPP);
                }
                throw ErrnoException.of(Errno.ENOTTY);
            }
        }
    }

    /** dev_ifsioc for the setters. */
    private static void ifsioc(Net net, int cmd, byte[] ifr) {
        NetDevice d = dev(net, ifr);
        switch (cmd) {
            case Sockios.SIOCSIFFLAGS -> Dev.changeFlags(d, (ifr[If.IFR_IFRU] & 0xff) | (ifr[If.IFR_IFRU + 1] & 0xff) << 8);
            case Sockios.SIOCSIFMETRIC -> throw ErrnoException.of(Errno.EOPNOTSUPP);
            case Sockios.SIOCSIFMTU -> Dev.setMtu(d, u(ifr));
            case Sockios.SIOCSIFTXQLEN -> {
                if (u(ifr) < 0) throw ErrnoException.of(Errno.EINVAL);
                Dev.setTxQueueLen(d, u(ifr));
            }
            // Hardware addresses, maps, multicast lists and timestamping: no device here has them to change.
            default -> throw ErrnoException.of(Errno.EOPNOTSUPP);
        }
    }
}
