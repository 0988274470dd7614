package dev.kava.kernel.printk;

import dev.kava.abi.Errno;
import dev.kava.abi.SyscallNr;
import dev.kava.abi.Syslog;
import dev.kava.kernel.KernelLog;
import dev.kava.kernel.SyscallTable;
import dev.kava.kernel.Task;

import static dev.kava.abi.Syslog.*;

/** syslog(2): do_syslog on the kernel log's ring buffer (kernel/printk/printk.c). */
public final class SyslogSyscalls {
    private SyslogSyscalls() {}

    /** dmesg_restrict: CONFIG_SECURITY_DMESG_RESTRICT is off by default, so anyone may read the log. */
    static final boolean DMESG_RESTRICT = false;

    public static void register(SyscallTable t) {
        t.register(SyscallNr.SYSLOG, (task, a) -> doSyslog(task, (int) a[0], a[1], (int) a[2]));
    }

    /** syslog_action_restricted. */
    static boolean restricted(int type) {
        if (DMESG_RESTRICT) return true;
        // Unless restricted, reading the whole buffer and its size is allowed to everyone.
        return type != SYSLOG_ACTION_READ_ALL && type != SYSLOG_ACTION_SIZE_BUFFER;
    }

    /** CAP_SYSLOG (or CAP_SYS_ADMIN): kava has no capability sets yet, so it is effective uid 0. */
    static boolean capSyslog(Task t) {
        return t.group.cred.euid() == 0;
    }

    /** access_ok: the range lies below the top of user space (no page is touched). */
    static boolean accessOk(long addr, int len) {
        long top = dev.kava.mm.AddressSpace.USER_TOP;
        return Long.compareUnsigned(addr, top) <= 0 && Long.compareUnsigned(len, top - addr) <= 0;
    }

    /** do_syslog(type, buf, len, SYSLOG_FROM_READER). */
    static long doSyslog(Task t, int type, long buf, int len) {
        // check_syslog_permissions
        if (restricted(type) && !capSyslog(t)) return -Errno.EPERM;
        KernelLog log = t.kernel.log();
        switch (type) {
            case SYSLOG_ACTION_CLOSE, SYSLOG_ACTION_OPEN:
                return 0;
            case SYSLOG_ACTION_READ: {
                if (buf == 0 || len < 0) return -Errno.EINVAL;
                if (len == 0) return 0;
                if (!accessOk(buf, len)) return -Errno.EFAULT;
                // wait_event_interruptible(log_wait, syslog_seq != next_seq)
                int r = t.waitEvent(log.logWait, log::unread, Long.MAX_VALUE);
                if (r != 0) return -Errno.ERESTARTSYS;
                byte[] b = log.read(len);
                t.mem.write(buf, b);
                return b.length;
            }
            case SYSLOG_ACTION_READ_CLEAR, SYSLOG_ACTION_READ_ALL: {
                if (buf == 0 || len < 0) return -Errno.EINVAL;
                if (len == 0) return 0;
                if (!accessOk(buf, len)) return -Errno.EFAULT;
                byte[] b = log.readAll(len, type == SYSLOG_ACTION_READ_CLEAR);
                t.mem.write(buf, b);
                return b.length;
            }
            case SYSLOG_ACTION_CLEAR:
                log.clear();
                return 0;
            case SYSLOG_ACTION_CONSOLE_OFF:
                log.consoleOff(true);
                return 0;
            case SYSLOG_ACTION_CONSOLE_ON:
                log.consoleOff(false);
                return 0;
            case SYSLOG_ACTION_CONSOLE_LEVEL:
                if (len < 1 || len > 8) return -Errno.EINVAL;
                log.consoleLevel(Math.max(len, Syslog.CONSOLE_LOGLEVEL_MIN));
                return 0;
            case SYSLOG_ACTION_SIZE_UNREAD:
                return log.sizeUnread();
            case SYSLOG_ACTION_SIZE_BUFFER:
                return Syslog.LOG_BUF_LEN;
            default:
                return -Errno.EINVAL;
        }
    }
}
