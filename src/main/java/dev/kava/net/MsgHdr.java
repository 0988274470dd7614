package dev.kava.net;

import dev.kava.abi.Socket;

/**
 * The kernel's struct msghdr (include/linux/socket.h) for one sendmsg or recvmsg: the address,
 * the data iterator, the control buffer and the flags.
 */
public final class MsgHdr {
    /**
     * msg_name: on send the address the caller gave (namelen bytes of a sockaddr_storage, or
     * namelen 0 for none); on receive a buffer the protocol fills with the source address
     * when name is not null, setting namelen.
     */
    public byte[] name;
    public int namelen;
    /** msg_iter */
    public IovIter iter;
    /**
     * On send: the control messages, copied in (msg_control after ____sys_sendmsg's copy), or
     * null. On receive: the user pointer put_cmsg writes to, advanced as it writes.
     */
    public byte[] control;
    public long controlUser;
    /** msg_controllen: what is left of the control buffer. */
    public long controllen;
    /** msg_flags: on send the caller's flags, on receive the flags reported back (MSG_TRUNC, MSG_CTRUNC, ...). */
    public int flags;

    public MsgHdr(IovIter iter) {
        this.iter = iter;
    }

    /** A receive buffer for the source address (msg_name pointing at a sockaddr_storage). */
    public MsgHdr wantName() {
        name = new byte[Socket.SOCKADDR_STORAGE_SIZE];
        namelen = 0;
        return this;
    }
}
