/*
 * procfs as programs read it: /proc/self and its files, the per-process files of another
 * process (a child, a zombie), threads under task/, /proc/self/fd and fdinfo, mounts and
 * mountinfo, the system-wide files and /proc/sys, /sys/devices/system/cpu, and exec of
 * /proc/self/exe. Each check prints "ok NAME" or "FAIL NAME: detail"; the values that
 * differ from run to run (pids, addresses, sizes) are checked, not printed.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static int failures;

static void check(const char *name, int ok, const char *detail) {
    if (ok) {
        printf("ok %s\n", name);
    } else {
        printf("FAIL %s: %s\n", name, detail ? detail : "");
        failures++;
    }
}

/* The whole file, NUL-terminated; its length in *len. */
static char *slurp(const char *path, size_t *len) {
    int fd = open(path, O_RDONLY);
    if (fd < 0) return NULL;
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap + 1);
    for (;;) {
        if (n == cap) buf = realloc(buf, (cap *= 2) + 1);
        ssize_t r = read(fd, buf + n, cap - n);
        if (r < 0) {
            close(fd);
            free(buf);
            return NULL;
        }
        if (r == 0) break;
        n += r;
    }
    close(fd);
    buf[n] = 0;
    if (len) *len = n;
    return buf;
}

/* The value after "Key:" in a status-like file, or NULL. */
static char *field(char *text, const char *key, char *out, size_t outlen) {
    size_t kl = strlen(key);
    for (char *line = text; line && *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL) {
        if (strncmp(line, key, kl) == 0 && line[kl] == ':') {
            char *v = line + kl + 1;
            while (*v == ' ' || *v == '\t') v++;
            size_t i = 0;
            while (v[i] && v[i] != '\n' && i + 1 < outlen) {
                out[i] = v[i];
                i++;
            }
            out[i] = 0;
            return out;
        }
    }
    return NULL;
}

/* Splits /proc/PID/stat after the comm's closing parenthesis; returns the number of fields, 2 being the comm. */
static int stat_fields(char *text, char *comm, size_t commlen, char **fields, int max) {
    char *open = strchr(text, '('), *close = strrchr(text, ')');
    if (!open || !close) return -1;
    size_t cl = close - open - 1;
    if (cl >= commlen) cl = commlen - 1;
    memcpy(comm, open + 1, cl);
    comm[cl] = 0;
    int n = 2; /* pid and comm */
    fields[0] = text;
    char *save, *tok = strtok_r(close + 1, " \n", &save);
    while (tok && n < max) {
        fields[n++] = tok;
        tok = strtok_r(NULL, " \n", &save);
    }
    return n;
}

static void self_files(int argc, char **argv) {
    char buf[256], path[256], detail[512];
    pid_t pid = getpid();

    /* /proc/self is a symlink naming the caller's pid. */
    struct stat st;
    check("proc-is-dir", stat("/proc", &st) == 0 && S_ISDIR(st.st_mode), NULL);
    ssize_t n = readlink("/proc/self", buf, sizeof buf - 1);
    buf[n > 0 ? n : 0] = 0;
    snprintf(path, sizeof path, "%d", pid);
    check("self-link", n > 0 && strcmp(buf, path) == 0, buf);
    check("self-is-dir", stat("/proc/self", &st) == 0 && S_ISDIR(st.st_mode) && lstat("/proc/self", &st) == 0
          && S_ISLNK(st.st_mode), NULL);
    n = readlink("/proc/thread-self", buf, sizeof buf - 1);
    buf[n > 0 ? n : 0] = 0;
    snprintf(path, sizeof path, "%d/task/%d", pid, (int) syscall(SYS_gettid));
    check("thread-self-link", n > 0 && strcmp(buf, path) == 0, buf);

    /* stat: 52 fields, the pid, the comm, state R, the parent. */
    char *text = slurp("/proc/self/stat", NULL);
    char comm[64], *f[64];
    int nf = text ? stat_fields(text, comm, sizeof comm, f, 64) : -1;
    check("stat-fields", nf == 52, text);
    check("stat-pid", nf > 0 && atoi(f[0]) == pid, text);
    check("stat-comm", nf > 0 && strcmp(comm, "procfs") == 0, comm);
    check("stat-state", nf > 2 && strcmp(f[2], "R") == 0, nf > 2 ? f[2] : "");
    check("stat-ppid", nf > 3 && atoi(f[3]) == getppid(), nf > 3 ? f[3] : "");
    check("stat-pgrp-session", nf > 5 && atoi(f[4]) == getpgrp() && atoi(f[5]) == getsid(0), NULL);
    check("stat-threads", nf > 19 && strcmp(f[19], "1") == 0, nf > 19 ? f[19] : "");
    check("stat-exit-signal", nf > 37 && strcmp(f[37], "17") == 0, nf > 37 ? f[37] : "");
    /* arg_start..arg_end (fields 48 and 49) hold argv[0]. */
    check("stat-arg-start", nf > 48 && strtoul(f[47], NULL, 10) == (unsigned long) argv[0], NULL);
    free(text);

    /* status: Name, Pid, PPid, Threads, the uid line, and the signal masks. */
    text = slurp("/proc/self/status", NULL);
    check("status-name", text && field(text, "Name", buf, sizeof buf) && strcmp(buf, "procfs") == 0, buf);
    check("status-pid", text && field(text, "Pid", buf, sizeof buf) && atoi(buf) == pid, buf);
    check("status-tgid", text && field(text, "Tgid", buf, sizeof buf) && atoi(buf) == pid, buf);
    check("status-ppid", text && field(text, "PPid", buf, sizeof buf) && atoi(buf) == getppid(), buf);
    check("status-state", text && field(text, "State", buf, sizeof buf) && strcmp(buf, "R (running)") == 0, buf);
    snprintf(path, sizeof path, "%d\t%d\t%d\t%d", getuid(), geteuid(), getuid(), geteuid());
    check("status-uid", text && field(text, "Uid", buf, sizeof buf) && strcmp(buf, path) == 0, buf);
    check("status-threads", text && field(text, "Threads", buf, sizeof buf) && strcmp(buf, "1") == 0, buf);
    check("status-vmrss", text && field(text, "VmRSS", buf, sizeof buf) && atol(buf) > 0 && strstr(buf, " kB"), buf);
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR1);
    sigprocmask(SIG_BLOCK, &set, NULL);
    signal(SIGUSR2, SIG_IGN);
    free(text);
    text = slurp("/proc/self/status", NULL);
    check("status-sigblk", text && field(text, "SigBlk", buf, sizeof buf) && strcmp(buf, "0000000000000200") == 0, buf);
    check("status-sigign", text && field(text, "SigIgn", buf, sizeof buf) && strcmp(buf, "0000000000000800") == 0, buf);
    sigprocmask(SIG_UNBLOCK, &set, NULL);
    signal(SIGUSR2, SIG_DFL);
    free(text);

    /* statm: seven numbers, a size and a resident count. */
    text = slurp("/proc/self/statm", NULL);
    unsigned long sm[7];
    int k = text ? sscanf(text, "%lu %lu %lu %lu %lu %lu %lu", &sm[0], &sm[1], &sm[2], &sm[3], &sm[4], &sm[5], &sm[6]) : 0;
    check("statm", k == 7 && sm[0] > 0 && sm[1] > 0 && sm[1] <= sm[0], text);
    free(text);

    /* cmdline: argv, NUL-separated; environ: the environment, likewise. */
    size_t len;
    text = slurp("/proc/self/cmdline", &len);
    size_t want = 0;
    for (int i = 0; i < argc; i++) want += strlen(argv[i]) + 1;
    int same = text && len == want;
    for (size_t off = 0, i = 0; same && i < (size_t) argc; i++) {
        same = strcmp(text + off, argv[i]) == 0;
        off += strlen(argv[i]) + 1;
    }
    check("cmdline", same, text);
    free(text);
    text = slurp("/proc/self/environ", &len);
    want = 0;
    for (char **e = environ; *e; e++) want += strlen(*e) + 1;
    check("environ", text && len == want, NULL);
    free(text);

    /* comm, and renaming the thread through it. */
    text = slurp("/proc/self/comm", NULL);
    check("comm", text && strcmp(text, "procfs\n") == 0, text);
    free(text);
    int fd = open("/proc/self/comm", O_WRONLY);
    check("comm-write", fd >= 0 && write(fd, "renamed", 7) == 7, strerror(errno));
    close(fd);
    prctl(PR_GET_NAME, buf);
    check("comm-write-prctl", strcmp(buf, "renamed") == 0, buf);
    prctl(PR_SET_NAME, "procfs");

    /* maps: a line covering main's code, executable, naming the program. */
    text = slurp("/proc/self/maps", NULL);
    int found = 0;
    for (char *line = text; line && *line;) {
        char *nl = strchr(line, '\n');
        if (nl) *nl = 0;
        unsigned long lo, hi, off;
        char perms[8], dev[16], name[256] = "";
        unsigned long ino;
        if (sscanf(line, "%lx-%lx %7s %lx %15s %lu %255s", &lo, &hi, perms, &off, dev, &ino, name) >= 6) {
            if ((unsigned long) self_files >= lo && (unsigned long) self_files < hi && perms[2] == 'x'
                && strcmp(name, "/procfs") == 0 && ino != 0) {
                found = 1;
            }
        }
        line = nl ? nl + 1 : NULL;
    }
    check("maps-text", found, NULL);
    free(text);
    text = slurp("/proc/self/maps", NULL);
    check("maps-stack", text && strstr(text, "[stack]") != NULL, NULL);
    free(text);
    text = slurp("/proc/self/smaps_rollup", NULL);
    check("smaps-rollup", text && strstr(text, "[rollup]\nRss:") && field(text, "Pss", buf, sizeof buf) && atol(buf) > 0,
          text);
    free(text);

    /* exe, cwd and root. */
    n = readlink("/proc/self/exe", buf, sizeof buf - 1);
    buf[n > 0 ? n : 0] = 0;
    check("exe", strcmp(buf, "/procfs") == 0, buf);
    n = readlink("/proc/self/cwd", buf, sizeof buf - 1);
    buf[n > 0 ? n : 0] = 0;
    check("cwd", strcmp(buf, "/") == 0, buf);
    chdir("/data");
    n = readlink("/proc/self/cwd", buf, sizeof buf - 1);
    buf[n > 0 ? n : 0] = 0;
    check("cwd-after-chdir", strcmp(buf, "/data") == 0, buf);
    chdir("/");
    n = readlink("/proc/self/root", buf, sizeof buf - 1);
    buf[n > 0 ? n : 0] = 0;
    check("root", strcmp(buf, "/") == 0, buf);
    check("exe-stat", stat("/proc/self/exe", &st) == 0 && S_ISREG(st.st_mode), NULL);

    /* limits: the header and the open-files row, as getrlimit says. */
    text = slurp("/proc/self/limits", NULL);
    struct rlimit rl;
    getrlimit(RLIMIT_NOFILE, &rl);
    snprintf(detail, sizeof detail, "Max open files            %-20lu %-20lu files     \n", (unsigned long) rl.rlim_cur,
             (unsigned long) rl.rlim_max);
    check("limits-header", text && strncmp(text, "Limit                     Soft Limit           Hard Limit           Units     \n", 79) == 0, text);
    check("limits-nofile", text && strstr(text, detail), text);
    free(text);
}

static void fd_files(void) {
    char buf[256], path[64];
    int fd = open("/data/hello.txt", O_RDONLY | O_CLOEXEC);
    snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    ssize_t n = readlink(path, buf, sizeof buf - 1);
    buf[n > 0 ? n : 0] = 0;
    check("fd-link", strcmp(buf, "/data/hello.txt") == 0, buf);
    struct stat a, b;
    fstat(fd, &a);
    check("fd-stat-follows", stat(path, &b) == 0 && a.st_ino == b.st_ino && a.st_dev == b.st_dev, NULL);
    check("fd-lstat-link", lstat(path, &b) == 0 && S_ISLNK(b.st_mode) && (b.st_mode & 0777) == 0500, NULL);
    int again = open(path, O_RDONLY);
    char c[8] = {0};
    check("fd-reopen", again >= 0 && read(again, c, 5) == 5 && strcmp(c, "hello") == 0, c);
    lseek(fd, 3, SEEK_SET);
    snprintf(path, sizeof path, "/proc/self/fdinfo/%d", fd);
    char *text = slurp(path, NULL);
    check("fdinfo-pos", text && field(text, "pos", buf, sizeof buf) && strcmp(buf, "3") == 0, text);
    check("fdinfo-flags", text && field(text, "flags", buf, sizeof buf) && strcmp(buf, "02100000") == 0, buf);
    check("fdinfo-mnt-ino", text && field(text, "mnt_id", buf, sizeof buf) && atoi(buf) > 0
          && field(text, "ino", buf, sizeof buf) && strtoul(buf, NULL, 10) == a.st_ino, text);
    free(text);

    int p[2];
    pipe(p);
    snprintf(path, sizeof path, "/proc/self/fd/%d", p[0]);
    n = readlink(path, buf, sizeof buf - 1);
    buf[n > 0 ? n : 0] = 0;
    fstat(p[0], &a);
    char want[64];
    snprintf(want, sizeof want, "pipe:[%lu]", (unsigned long) a.st_ino);
    check("fd-pipe", strcmp(buf, want) == 0, buf);
    /* Opening a pipe's link opens the same pipe again. */
    int w = open(path, O_WRONLY);
    check("fd-pipe-reopen", w >= 0 && write(w, "x", 1) == 1 && read(p[0], c, 1) == 1 && c[0] == 'x', strerror(errno));
    close(w);
    int e = eventfd(0, 0);
    snprintf(path, sizeof path, "/proc/self/fd/%d", e);
    n = readlink(path, buf, sizeof buf - 1);
    buf[n > 0 ? n : 0] = 0;
    check("fd-eventfd", strcmp(buf, "anon_inode:[eventfd]") == 0, buf);
    check("fd-eventfd-open", open(path, O_RDONLY) < 0 && errno == ENXIO, strerror(errno));

    /* The fd directory lists exactly the open descriptors. */
    int dfd = open("/proc/self/fd", O_RDONLY | O_DIRECTORY);
    DIR *d = fdopendir(dfd);
    int listed = 0, bad = 0;
    struct dirent *de;
    while ((de = readdir(d))) {
        if (de->d_name[0] == '.') continue;
        int num = atoi(de->d_name);
        listed++;
        if (fcntl(num, F_GETFD) < 0 || de->d_type != DT_LNK) bad++;
    }
    int open_fds = 0;
    for (int i = 0; i < 64; i++) if (fcntl(i, F_GETFD) >= 0) open_fds++;
    snprintf(buf, sizeof buf, "listed %d open %d bad %d", listed, open_fds, bad);
    check("fd-dir", listed == open_fds && bad == 0, buf);
    closedir(d);
    close(e);
    close(p[0]);
    close(p[1]);
    close(again);
    close(fd);
    snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    check("fd-closed", access(path, F_OK) < 0 && errno == ENOENT, NULL);
}

static void mount_files(void) {
    char *text = slurp("/proc/mounts", NULL);
    check("mounts-root", text && strstr(text, " / ") != NULL, text);
    check("mounts-proc", text && strstr(text, "proc /proc proc rw,nosuid,nodev,noexec,relatime 0 0\n") != NULL, text);
    free(text);
    text = slurp("/proc/self/mountinfo", NULL);
    int lines = 0, good = 0, root = 0, proc = 0;
    for (char *line = text; line && *line;) {
        char *nl = strchr(line, '\n');
        if (nl) *nl = 0;
        int id, parent, major, minor;
        char r[256], mp[256], opts[256], type[64], source[256], sopts[256];
        char *dash = strstr(line, " - ");
        lines++;
        if (dash && sscanf(line, "%d %d %d:%d %255s %255s %255s", &id, &parent, &major, &minor, r, mp, opts) == 7
            && sscanf(dash + 3, "%63s %255s %255s", type, source, sopts) == 3 && id > 0 && parent > 0) {
            good++;
            if (strcmp(mp, "/") == 0) root++;
            if (strcmp(mp, "/proc") == 0 && strcmp(type, "proc") == 0 && strcmp(source, "proc") == 0
                && strcmp(r, "/") == 0) {
                proc++;
            }
        }
        line = nl ? nl + 1 : NULL;
    }
    check("mountinfo-parses", lines > 0 && good == lines, NULL);
    check("mountinfo-root", root == 1, NULL);
    check("mountinfo-proc", proc == 1, NULL);
    free(text);
}

static volatile int thread_go;

static void *thread_main(void *arg) {
    prctl(PR_SET_NAME, "worker");
    *(pid_t *) arg = (pid_t) syscall(SYS_gettid);
    while (!thread_go) usleep(1000);
    return NULL;
}

static void task_files(void) {
    pid_t tid = 0;
    pthread_t th;
    pthread_create(&th, NULL, thread_main, &tid);
    while (!__atomic_load_n(&tid, __ATOMIC_SEQ_CST)) usleep(1000);
    usleep(10000);
    DIR *d = opendir("/proc/self/task");
    int n = 0, seen_main = 0, seen_thread = 0;
    struct dirent *de;
    while ((de = readdir(d))) {
        if (de->d_name[0] == '.') continue;
        n++;
        if (atoi(de->d_name) == getpid()) seen_main = 1;
        if (atoi(de->d_name) == tid) seen_thread = 1;
    }
    closedir(d);
    check("task-list", n == 2 && seen_main && seen_thread, NULL);
    char path[128], comm[64], *f[64];
    snprintf(path, sizeof path, "/proc/self/task/%d/comm", tid);
    char *text = slurp(path, NULL);
    check("task-comm", text && strcmp(text, "worker\n") == 0, text);
    free(text);
    snprintf(path, sizeof path, "/proc/self/task/%d/stat", tid);
    text = slurp(path, NULL);
    int nf = text ? stat_fields(text, comm, sizeof comm, f, 64) : -1;
    check("task-stat", nf == 52 && atoi(f[0]) == tid && strcmp(comm, "worker") == 0 && strcmp(f[37], "-1") == 0, text);
    free(text);
    text = slurp("/proc/self/stat", NULL);
    nf = text ? stat_fields(text, comm, sizeof comm, f, 64) : -1;
    check("stat-two-threads", nf == 52 && strcmp(f[19], "2") == 0, text);
    free(text);
    /* /proc/TID works though readdir of /proc does not list it. */
    snprintf(path, sizeof path, "/proc/%d/status", tid);
    text = slurp(path, NULL);
    char buf[64];
    check("proc-tid", text && field(text, "Pid", buf, sizeof buf) && atoi(buf) == tid
          && field(text, "Tgid", buf, sizeof buf) && atoi(buf) == getpid(), text);
    free(text);
    d = opendir("/proc");
    int listed_tid = 0, listed_self = 0;
    while ((de = readdir(d))) {
        if (atoi(de->d_name) == tid) listed_tid = 1;
        if (atoi(de->d_name) == getpid()) listed_self = 1;
    }
    closedir(d);
    check("proc-readdir", listed_self && !listed_tid, NULL);
    thread_go = 1;
    pthread_join(th, NULL);
}

static void child_files(void) {
    int p[2];
    pipe(p);
    pid_t child = fork();
    if (child == 0) {
        char c;
        prctl(PR_SET_NAME, "child");
        read(p[0], &c, 1);
        _exit(7);
    }
    close(p[0]);
    char path[128], comm[64], *f[64];
    char *text = NULL;
    int nf = -1;
    /* Wait until the child has renamed itself and sleeps in read. */
    for (int i = 0; i < 400; i++) {
        free(text);
        snprintf(path, sizeof path, "/proc/%d/stat", child);
        text = slurp(path, NULL);
        nf = text ? stat_fields(text, comm, sizeof comm, f, 64) : -1;
        if (nf == 52 && strcmp(comm, "child") == 0 && strcmp(f[2], "S") == 0) break;
        usleep(5000);
    }
    check("child-stat", nf == 52 && atoi(f[0]) == child && atoi(f[3]) == getpid() && strcmp(comm, "child") == 0
          && strcmp(f[2], "S") == 0, text);
    free(text);
    snprintf(path, sizeof path, "/proc/%d/cmdline", child);
    text = slurp(path, NULL);
    check("child-cmdline", text && strcmp(text, "/procfs") == 0, text);
    free(text);
    write(p[1], "x", 1);
    close(p[1]);
    /* Exited but not reaped: a zombie, still listed, with no memory. */
    for (int i = 0; i < 200; i++) {
        snprintf(path, sizeof path, "/proc/%d/stat", child);
        text = slurp(path, NULL);
        nf = text ? stat_fields(text, comm, sizeof comm, f, 64) : -1;
        if (nf == 52 && strcmp(f[2], "Z") == 0) break;
        free(text);
        text = NULL;
        usleep(5000);
    }
    check("zombie-stat", text && nf == 52 && strcmp(f[2], "Z") == 0 && strcmp(f[22], "0") == 0
          && strcmp(f[51], "1792") == 0, text);
    free(text);
    snprintf(path, sizeof path, "/proc/%d/cmdline", child);
    size_t len = 99;
    text = slurp(path, &len);
    check("zombie-cmdline", text && len == 0, NULL);
    free(text);
    snprintf(path, sizeof path, "/proc/%d/exe", child);
    char buf[64];
    check("zombie-exe", readlink(path, buf, sizeof buf) < 0 && errno == ENOENT, strerror(errno));
    int st;
    waitpid(child, &st, 0);
    snprintf(path, sizeof path, "/proc/%d", child);
    struct stat sb;
    check("reaped-gone", stat(path, &sb) < 0 && errno == ENOENT, NULL);
}

static void system_files(void) {
    char buf[256];
    char *text = slurp("/proc/meminfo", NULL);
    check("meminfo", text && strncmp(text, "MemTotal:", 9) == 0 && field(text, "MemTotal", buf, sizeof buf)
          && atol(buf) > 0 && field(text, "MemFree", buf, sizeof buf) && field(text, "MemAvailable", buf, sizeof buf),
          text);
    free(text);
    text = slurp("/proc/stat", NULL);
    check("stat-cpu", text && strncmp(text, "cpu  ", 5) == 0 && strstr(text, "\ncpu0 ") && strstr(text, "\nbtime ")
          && strstr(text, "\nprocesses ") && strstr(text, "\nprocs_running ") && strstr(text, "\nctxt "), text);
    free(text);
    text = slurp("/proc/uptime", NULL);
    double up, idle;
    check("uptime", text && sscanf(text, "%lf %lf", &up, &idle) == 2 && up > 0, text);
    free(text);
    text = slurp("/proc/loadavg", NULL);
    double l1, l5, l15;
    int run, total, last;
    check("loadavg", text && sscanf(text, "%lf %lf %lf %d/%d %d", &l1, &l5, &l15, &run, &total, &last) == 6
          && run >= 1 && total >= run && last > 0, text);
    free(text);
    text = slurp("/proc/cpuinfo", NULL);
    int cpus = 0;
    for (char *p = text; p && (p = strstr(p, "processor\t: ")); p++) cpus++;
    check("cpuinfo", cpus > 0 && cpus == sysconf(_SC_NPROCESSORS_ONLN) && strstr(text, "\nisa\t\t: rv64")
          && strstr(text, "\nmmu\t\t: "), text);
    check("nprocs-conf", sysconf(_SC_NPROCESSORS_CONF) == cpus, NULL);
    free(text);
    text = slurp("/sys/devices/system/cpu/online", NULL);
    snprintf(buf, sizeof buf, cpus == 1 ? "0\n" : "0-%d\n", cpus - 1);
    check("sys-cpu-online", text && strcmp(text, buf) == 0, text);
    free(text);
    text = slurp("/proc/version", NULL);
    check("version", text && strncmp(text, "Linux version 7.", 16) == 0, text);
    free(text);
    text = slurp("/proc/filesystems", NULL);
    check("filesystems", text && strstr(text, "nodev\tproc\n") && strstr(text, "nodev\ttmpfs\n") && !strstr(text, "nullfs"),
          text);
    free(text);
    text = slurp("/proc/sys/kernel/osrelease", NULL);
    check("osrelease", text && strncmp(text, "7.", 2) == 0, text);
    free(text);
    text = slurp("/proc/sys/kernel/ostype", NULL);
    check("ostype", text && strcmp(text, "Linux\n") == 0, text);
    free(text);
    char *a = slurp("/proc/sys/kernel/random/boot_id", NULL), *b = slurp("/proc/sys/kernel/random/boot_id", NULL);
    check("boot-id", a && b && strlen(a) == 37 && strcmp(a, b) == 0 && a[14] == '4', a);
    free(a);
    free(b);
    a = slurp("/proc/sys/kernel/random/uuid", NULL);
    b = slurp("/proc/sys/kernel/random/uuid", NULL);
    check("uuid", a && b && strlen(a) == 37 && strcmp(a, b) != 0, a);
    free(a);
    free(b);
    text = slurp("/proc/sys/fs/nr_open", NULL);
    check("nr-open", text && atol(text) >= 1024, text);
    free(text);
    check("sysctl-readonly", open("/proc/sys/kernel/ostype", O_WRONLY) < 0 && errno == EACCES, strerror(errno));
    int fd = open("/proc/uptime", O_WRONLY);
    check("proc-write-eio", fd >= 0 && write(fd, "1", 1) < 0 && errno == EIO, strerror(errno));
    close(fd);
    struct stat st;
    check("proc-self-mounts", lstat("/proc/mounts", &st) == 0 && S_ISLNK(st.st_mode), NULL);
}

int main(int argc, char **argv) {
    if (argc > 1 && strcmp(argv[1], "from-exe") == 0) {
        char buf[64];
        prctl(PR_GET_NAME, buf);
        printf("ok exec-self-exe %s %s\n", argv[2], buf);
        return 0;
    }
    setvbuf(stdout, NULL, _IOLBF, 0);
    self_files(argc, argv);
    fd_files();
    mount_files();
    task_files();
    child_files();
    system_files();
    fflush(stdout);
    /* exec of /proc/self/exe runs this program again (comm becomes "exe", from the name exec'd). */
    pid_t c = fork();
    if (c == 0) {
        execl("/proc/self/exe", "again", "from-exe", "arg", (char *) NULL);
        printf("FAIL exec-self-exe: %s\n", strerror(errno));
        _exit(1);
    }
    int st;
    waitpid(c, &st, 0);
    printf("failures %d\n", failures);
    return failures != 0;
}
