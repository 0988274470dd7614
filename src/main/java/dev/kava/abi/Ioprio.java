package dev.kava.abi;

/** I/O priorities: classes, levels and ioprio_get/ioprio_set selectors. From include/uapi/linux/ioprio.h. */
public final class Ioprio {
    private Ioprio() {}

    public static final int IOPRIO_CLASS_SHIFT = 13;
    public static final int IOPRIO_NR_CLASSES = 8;
    public static final int IOPRIO_CLASS_MASK = IOPRIO_NR_CLASSES - 1;
    public static final int IOPRIO_PRIO_MASK = (1 << IOPRIO_CLASS_SHIFT) - 1;

    public static final int IOPRIO_CLASS_NONE = 0;
    public static final int IOPRIO_CLASS_RT = 1;
    public static final int IOPRIO_CLASS_BE = 2;
    public static final int IOPRIO_CLASS_IDLE = 3;
    /** Special class to indicate an invalid ioprio value. */
    public static final int IOPRIO_CLASS_INVALID = 7;

    public static final int IOPRIO_LEVEL_NR_BITS = 3;
    public static final int IOPRIO_NR_LEVELS = 1 << IOPRIO_LEVEL_NR_BITS;
    public static final int IOPRIO_LEVEL_MASK = IOPRIO_NR_LEVELS - 1;

    public static final int IOPRIO_WHO_PROCESS = 1;
    public static final int IOPRIO_WHO_PGRP = 2;
    public static final int IOPRIO_WHO_USER = 3;

    /** IOPRIO_PRIO_CLASS. */
    public static int prioClass(int ioprio) {
        return (ioprio >> IOPRIO_CLASS_SHIFT) & IOPRIO_CLASS_MASK;
    }

    /** IOPRIO_PRIO_LEVEL. */
    public static int prioLevel(int ioprio) {
        return ioprio & IOPRIO_LEVEL_MASK;
    }

    /** IOPRIO_PRIO_VALUE for a class and level in range (no hint). */
    public static int prioValue(int prioClass, int level) {
        return (prioClass << IOPRIO_CLASS_SHIFT) | level;
    }
}
