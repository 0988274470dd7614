package dev.kava.ipc;

import dev.kava.kernel.sched.WaitQueue;

import java.util.ArrayList;
import java.util.LinkedList;
import java.util.List;

/**
 * struct msg_queue (ipc/msg.c): the messages in arrival order, the receivers and senders
 * sleeping on the queue, and its counters. Guarded by this object's monitor.
 */
final class MsgQueue extends KernIpcPerm {
    long stime, rtime, ctime;
    long cbytes, qnum, qbytes;
    int lspid, lrpid;
    final LinkedList<Message> messages = new LinkedList<>();
    /** Sleeping receivers, oldest first (q_receivers). */
    final List<Receiver> receivers = new ArrayList<>();
    /** Woken when a receiver gets a message or the queue changes; senders and receivers sleep here. */
    final WaitQueue wq = new WaitQueue();

    MsgQueue(int key, int mode, long qbytes) {
        super(key, mode);
        this.qbytes = qbytes;
    }

    /** struct msg_msg: a type and the text. */
    record Message(long type, byte[] text) {}

    /** struct msg_receiver: what a sleeping msgrcv accepts; result is set by a sender or by removal. */
    static final class Receiver {
        final long type;
        final int mode;
        final long maxsize;
        /** null while waiting; then a Message, or an Integer errno (negative). */
        volatile Object result;

        Receiver(long type, int mode, long maxsize) {
            this.type = type;
            this.mode = mode;
            this.maxsize = maxsize;
        }
    }
}
