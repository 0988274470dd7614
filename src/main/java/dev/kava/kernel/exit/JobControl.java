package dev.kava.kernel.exit;

import dev.kava.kernel.Kernel;
import dev.kava.kernel.TaskGroup;

/**
 * The wait side of job control: a group stopped or continued by a signal keeps a report for
 * its parent's wait(WUNTRACED / WCONTINUED). Signal code calls {@link #stopped} and
 * {@link #continued} (do_notify_parent_cldstop) when it stops or resumes a group.
 */
public final class JobControl {
    private JobControl() {}

    /** The group stopped by sig: record it for wait and wake the parent. */
    public static void stopped(TaskGroup g, int sig) {
        g.stopReport = sig;
        g.continueReport = false;
        TaskGroup p = g.parent;
        if (p != null) p.childWait.wakeAll();
    }

    /** The group continued: record it for wait and wake the parent. */
    public static void continued(TaskGroup g) {
        g.continueReport = true;
        g.stopReport = 0;
        TaskGroup p = g.parent;
        if (p != null) p.childWait.wakeAll();
    }

    /**
     * will_become_orphaned_pgrp(pgrp, NULL) (kernel/exit.c): a process group is orphaned when no
     * member has a parent in a different process group of the same session, which could
     * continue it after a stop. Zombies and children of init do not count.
     */
    public static boolean isOrphanedPgrp(Kernel k, int pgid) {
        for (TaskGroup p : k.groupsInPgid(pgid)) {
            if (p.zombie) continue;
            TaskGroup parent = p.parent;
            if (parent == null || parent.tgid == 1) continue;
            if (parent.pgid != pgid && parent.sid == p.sid) return false;
        }
        return true;
    }

    static int stopReport(TaskGroup g) {
        return g.stopReport;
    }

    static boolean continueReport(TaskGroup g) {
        return g.continueReport;
    }

    static void clearStopReport(TaskGroup g) {
        g.stopReport = 0;
    }

    static void clearContinueReport(TaskGroup g) {
        g.continueReport = false;
    }
}
