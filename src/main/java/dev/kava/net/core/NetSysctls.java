package dev.kava.net.core;

/**
 * The built-in registrations of {@link Sysctl} and {@link ProcNet}: each subsystem's table,
 * in the order /proc lists them. A new subsystem adds its call here (TCP: its tcp_* sysctls and
 * /proc/net/tcp, tcp6).
 */
final class NetSysctls {
    private NetSysctls() {}

    private static boolean done;

    static synchronized void init() {
        if (done) return;
        done = true;
        CoreProc.register();
        dev.kava.net.ipv4.Ipv4Proc.register();
        dev.kava.net.ipv4.TcpProc.register();
    }
}
