package dev.kava.tools.rootfs;

import dev.kava.cli.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Debian trixie's iproute2 inside kava: `ip addr`, `ip link`, `ip route` list lo as Linux
 * prints it, and `ip addr add`, `ip link set lo mtu`, `ip route add` change the stack. The
 * expected lines are those of a Linux host for lo (`unshare -n` with lo up), IPv6 ones included:
 * `ip -6 addr/route` and adding and removing an IPv6 address with its routes.
 * Uses the user's package cache (offline) or the archive; skips when neither is there.
 */
class Iproute2IntegrationTest {
    @Test
    void ipListsAndConfiguresLo(@TempDir Path tmp) throws Exception {
        Path x = tmp.resolve("X");
        List<String> args = new ArrayList<>(List.of("rootfs", "build", "--packages", "iproute2,busybox-static", "--dir", x.toString()));
        Path userCache = RootfsBuilder.defaultCache(System.getenv(), Path.of(System.getProperty("user.home")), "trixie");
        assumeTrue(Files.isRegularFile(userCache.resolve("index/trixie/InRelease")), "no cached Debian index at " + userCache);
        if (Main.execute(new ArrayList<>(List.of(args.toArray(new String[0]))) {{ add("--offline"); }}.toArray(new String[0])) != 0) {
            assumeTrue(Main.execute(args.toArray(new String[0])) == 0, "iproute2 could not be fetched");
        }
        // Each check exits with its own code, so a failure says which line was wrong.
        String script = String.join("\n",
                "I=/usr/bin/ip",
                "$I addr | grep -qx '1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN group default qlen 1000' || exit 11",
                "$I addr | grep -qx '    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00' || exit 12",
                "$I addr | grep -qx '    inet 127.0.0.1/8 scope host lo' || exit 13",
                "$I addr | grep -qx '       valid_lft forever preferred_lft forever' || exit 14",
                "$I link | grep -qx '1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN mode DEFAULT group default qlen 1000' || exit 15",
                "test -z \"$($I route)\" || exit 16",
                "$I route show table local | grep -qx 'local 127.0.0.1 dev lo proto kernel scope host src 127.0.0.1 ' || exit 17",
                "$I route get 127.0.0.1 | grep -qx 'local 127.0.0.1 dev lo src 127.0.0.1 uid 0 ' || exit 18",
                "$I addr add 127.0.0.2/8 dev lo || exit 19",
                "$I addr show dev lo | grep -qx '    inet 127.0.0.2/8 scope host secondary lo' || exit 20",
                "$I link set lo mtu 1500 || exit 21",
                "$I link show lo | grep -q '^1: lo: <LOOPBACK,UP,LOWER_UP> mtu 1500 qdisc noqueue' || exit 22",
                "$I route add 10.9.0.0/16 dev lo || exit 23",
                "$I route | grep -qx '10.9.0.0/16 dev lo scope link ' || exit 24",
                "$I addr add 127.0.0.2/8 dev lo 2>&1 | grep -qx 'Error: ipv4: Address already assigned.' || exit 25",
                "$I addr | grep -qx '    inet6 ::1/128 scope host ' || exit 26",
                "test \"$($I -6 addr)\" = \"$(printf '%s\\n' '1: lo: <LOOPBACK,UP,LOWER_UP> mtu 1500 state UNKNOWN qlen 1000' "
                        + "'    inet6 ::1/128 scope host ' '       valid_lft forever preferred_lft forever')\" || exit 27",
                "test -z \"$($I -6 route)\" || exit 28",
                "test \"$($I -6 route show table all)\" = 'local ::1 dev lo table local proto kernel metric 0 pref medium' || exit 29",
                "test \"$($I -6 route get ::1)\" = 'local ::1 from :: dev lo table local proto kernel src ::1 metric 0 pref medium' || exit 30",
                "$I -6 addr add 2001:db8::1/64 dev lo || exit 31",
                "$I -6 addr show dev lo | grep -qx '    inet6 2001:db8::1/64 scope global ' || exit 32",
                "test \"$($I -6 route)\" = '2001:db8::/64 dev lo proto kernel metric 256 pref medium' || exit 33",
                "$I -6 route show table local | grep -qx 'local 2001:db8::1 dev lo proto kernel metric 0 pref medium' || exit 34",
                "test \"$($I -6 route get 2001:db8::5)\" = '2001:db8::5 from :: dev lo proto kernel src 2001:db8::1 metric 256 pref medium' || exit 35",
                "$I -6 addr add 2001:db8::1/64 dev lo 2>&1 | grep -qx 'Error: ipv6: address already assigned.' || exit 36",
                "$I -6 addr del 2001:db8::1/64 dev lo || exit 37",
                "test \"$($I -6 addr show dev lo | grep -c inet6)\" = 1 || exit 38",
                "test -z \"$($I -6 route)\" || exit 39",
                "$I -6 route add 2001:db8:1::/48 dev lo || exit 40",
                "test \"$($I -6 route)\" = '2001:db8:1::/48 dev lo metric 1024 pref medium' || exit 41",
                "$I -6 route del 2001:db8:1::/48 dev lo || exit 42",
                "test -z \"$($I -6 route)\" || exit 43",
                "$I -6 route add 2001:db8:5::/64 dev lo metric 5 || exit 44",
                "$I -6 route replace 2001:db8:5::/64 dev lo metric 5 proto static || exit 45",
                "test \"$($I -6 route get 2001:db8:5::1 from ::1)\" = '2001:db8:5::1 from ::1 dev lo proto static src ::1 metric 5 pref medium' || exit 46",
                "test \"$($I -6 route get fibmatch 2001:db8:5::1)\" = '2001:db8:5::/64 dev lo proto static metric 5 pref medium' || exit 47",
                "$I -6 route show table 100 2>&1 | grep -qx 'Error: ipv6: FIB table does not exist.' || exit 48",
                "$I -6 addr add ff02::1/64 dev lo 2>&1 | grep -qx 'Error: ipv6: Cannot assign multicast address without \"IFA_F_MCAUTOJOIN\" flag.' || exit 49",
                "$I -6 addr del 2001:db8::9/64 dev lo 2>&1 | grep -qx 'Error: ipv6: address not found.' || exit 50",
                // /proc/net/route (fib_route_seq_show, lines padded to 127 columns) and busybox's route -n, which reads it.
                "head -1 /proc/net/route | grep -qx \"$(printf 'Iface\\tDestination\\tGateway \\tFlags\\tRefCnt\\tUse\\tMetric\\tMask\\t\\tMTU\\tWindow\\tIRTT') *\" || exit 51",
                "$I route add unreachable 10.8.0.0/16 && $I route add 10.7.0.1 dev lo || exit 52",
                "grep -qx \"$(printf 'lo\\t0000090A\\t00000000\\t0001\\t0\\t0\\t0\\t0000FFFF\\t0\\t0\\t0') *\" /proc/net/route || exit 53",
                "grep -qx \"$(printf '[*]\\t0000080A\\t00000000\\t0201\\t0\\t0\\t0\\t0000FFFF\\t0\\t0\\t0') *\" /proc/net/route || exit 54",
                "grep -qx \"$(printf 'lo\\t0100070A\\t00000000\\t0005\\t0\\t0\\t0\\tFFFFFFFF\\t0\\t0\\t0') *\" /proc/net/route || exit 55",
                "test \"$(awk 'END {print NR}' /proc/net/route)\" = 4 || exit 56",
                "/bin/busybox route -n | grep -qx '10.9.0.0        0.0.0.0         255.255.0.0     U     0      0        0 lo' || exit 57",
                "$I -6 route add 2001:db8:2::/48 via ::1 2>&1 | grep -qx 'Error: Egress device can not be loopback device for this route.' || exit 58",
                "$I -6 route add 2001:db8:2::/48 via 2001:db8:5::9 2>&1 | grep -qx 'RTNETLINK answers: No route to host' || exit 59",
                "$I -6 route add blackhole 2001:db8:3::/48 || exit 60",
                "$I -6 route | grep -qx 'blackhole 2001:db8:3::/48 dev lo metric 1024 pref medium' || exit 61",
                "$I -6 route get 2001:db8:3::1 2>&1 | grep -qx 'RTNETLINK answers: Invalid argument' || exit 62",
                "exit 7");
        assertEquals(7, Main.execute("run", "--root", x.toString(), "/bin/sh", "-c", script));
    }
}
