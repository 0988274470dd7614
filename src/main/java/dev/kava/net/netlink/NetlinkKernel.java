package dev.kava.net.netlink;

import dev.kava.kernel.Task;

/**
 * The kernel side of a netlink protocol in one namespace (the socket netlink_kernel_create makes
 * with its struct netlink_kernel_cfg): how many multicast groups it has, whether unprivileged
 * sockets may listen to them or send to them, and its input function.
 */
public interface NetlinkKernel {
    /** cfg->groups (at least 32, as __netlink_kernel_create rounds it). */
    int groups();

    /** NL_CFG_F_NONROOT_RECV: anyone may join the groups. */
    boolean nonrootRecv();

    /** NL_CFG_F_NONROOT_SEND: anyone may send to groups and other sockets. */
    boolean nonrootSend();

    /** cfg->input: the bytes of one sendmsg addressed to the kernel, from src, on the sender's thread. */
    void input(Task t, NetlinkSock src, byte[] data);
}
