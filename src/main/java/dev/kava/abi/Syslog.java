package dev.kava.abi;

/** syslog(2) actions (include/linux/syslog.h) and the printk levels it reports (include/linux/kern_levels.h). */
public final class Syslog {
    private Syslog() {}

    public static final int SYSLOG_ACTION_CLOSE = 0;
    public static final int SYSLOG_ACTION_OPEN = 1;
    public static final int SYSLOG_ACTION_READ = 2;
    public static final int SYSLOG_ACTION_READ_ALL = 3;
    public static final int SYSLOG_ACTION_READ_CLEAR = 4;
    public static final int SYSLOG_ACTION_CLEAR = 5;
    public static final int SYSLOG_ACTION_CONSOLE_OFF = 6;
    public static final int SYSLOG_ACTION_CONSOLE_ON = 7;
    public static final int SYSLOG_ACTION_CONSOLE_LEVEL = 8;
    public static final int SYSLOG_ACTION_SIZE_UNREAD = 9;
    public static final int SYSLOG_ACTION_SIZE_BUFFER = 10;

    /** include/linux/kern_levels.h. */
    public static final int LOGLEVEL_ALERT = 1;
    public static final int LOGLEVEL_WARNING = 4;
    public static final int LOGLEVEL_INFO = 6;
    public static final int LOGLEVEL_DEFAULT = -1;

    /** MESSAGE_LOGLEVEL_DEFAULT: CONFIG_MESSAGE_LOGLEVEL_DEFAULT's default of 4 (include/linux/printk.h, lib/Kconfig.debug). */
    public static final int MESSAGE_LOGLEVEL_DEFAULT = 4;

    /** CONSOLE_LOGLEVEL_DEFAULT (7) and CONSOLE_LOGLEVEL_MIN (1), include/linux/printk.h. */
    public static final int CONSOLE_LOGLEVEL_DEFAULT = 7;
    public static final int CONSOLE_LOGLEVEL_MIN = 1;

    /** 1 << CONFIG_LOG_BUF_SHIFT with the Kconfig default of 17 (init/Kconfig): log_buf_len. */
    public static final int LOG_BUF_LEN = 1 << 17;
}
