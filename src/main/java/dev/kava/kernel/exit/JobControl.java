package dev.kava.kernel.exit;

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
