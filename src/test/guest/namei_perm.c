/* Permission checks of the namespace-changing syscalls, from a child that drops to uid/gid
   1000: write and search permission on the parent (EACCES), the search check on the
   directory of the last component coming before EEXIST, sticky directories (EPERM), a
   directory changing parent needing write permission on itself, device nodes needing
   CAP_MKNOD (but not a 0/0 whiteout), and protected hard links. The root parent sets up the
   tree with umask 0 so modes are exact. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#define TRY(label, expr) do { errno = 0; long r_ = (long)(expr); \
    printf("%-38s -> %ld%s%s\n", label, r_, r_ < 0 ? " " : "", r_ < 0 ? strerrorname_np(errno) : ""); } while (0)

static void mk(const char *p, int mode) {
    int fd = open(p, O_CREAT | O_WRONLY, mode);
    if (fd < 0) printf("  create %s: %s\n", p, strerrorname_np(errno));
    else close(fd);
}

static void user(void) {
    printf("== as uid 1000\n");
    TRY("mkdir in root's 0755 dir", mkdir("tmp/p/x", 0755));
    TRY("mkdir existing in root's dir", mkdir("tmp/p/open", 0755));
    TRY("mkdir in rw- dir (no search)", mkdir("tmp/p/nox/y", 0755));
    TRY("mkdir existing in rw- dir", mkdir("tmp/p/nox/e", 0755));
    TRY("unlink in rw- dir", unlink("tmp/p/nox/e"));
    TRY("rmdir in root's 0755 dir", rmdir("tmp/p/open"));
    TRY("unlink in root's 0755 dir", unlink("tmp/p/rootfile"));
    TRY("symlink in root's 0755 dir", symlink("x", "tmp/p/l"));
    TRY("mknod fifo in root's 0755 dir", mknod("tmp/p/f", S_IFIFO | 0644, 0));
    TRY("unlink root's file, open dir", unlink("tmp/p/open/rootfile"));
    TRY("mkdir in open dir", mkdir("tmp/p/open/mine", 0555));
    TRY("rename in same dir, no w on it", rename("tmp/p/open/mine", "tmp/p/open/mine2"));
    TRY("move own r-x dir to other parent", rename("tmp/p/open/mine2", "tmp/p/open2/mine"));
    TRY("move own rwx dir to other parent", rename("tmp/p/open/own", "tmp/p/open2/own"));
    TRY("rename into root's 0755 dir", rename("tmp/p/open2/own", "tmp/p/own"));

    printf("== sticky\n");
    TRY("unlink root's file", unlink("tmp/p/sticky/rootfile"));
    TRY("rename root's file", rename("tmp/p/sticky/rootfile", "tmp/p/sticky/x"));
    TRY("rename over root's file", rename("tmp/p/sticky/minefile", "tmp/p/sticky/rootfile"));
    TRY("rmdir root's dir", rmdir("tmp/p/sticky/rootdir"));
    TRY("unlink own file", unlink("tmp/p/sticky/minefile"));
    mk("tmp/p/sticky/new", 0644);
    TRY("rename own file", rename("tmp/p/sticky/new", "tmp/p/sticky/new2"));
    TRY("exchange own and root's", syscall(SYS_renameat2, AT_FDCWD, "tmp/p/sticky/new2", AT_FDCWD,
                                           "tmp/p/sticky/rootfile", 2));
    TRY("unlink root's 0666 file, sticky", unlink("tmp/p/usticky/rootfile"));

    printf("== devices and links\n");
    TRY("mknod char 1,3", mknod("tmp/p/open/null", S_IFCHR | 0666, makedev(1, 3)));
    TRY("mknod block 7,0", mknod("tmp/p/open/blk", S_IFBLK | 0666, makedev(7, 0)));
    TRY("mknod char 0,0 (whiteout)", mknod("tmp/p/open/wh", S_IFCHR | 0666, 0));
    TRY("mknod fifo", mknod("tmp/p/open/fifo", S_IFIFO | 0666, 0));
    TRY("mknod in root's dir, no perm", mknod("tmp/p/null", S_IFCHR | 0666, makedev(1, 3)));
    TRY("link root's 0600 file", link("tmp/p/open/secret", "tmp/p/open/s2"));
    TRY("link root's 0666 file", link("tmp/p/open/shared", "tmp/p/open/s3"));
    TRY("link root's setuid 0666 file", link("tmp/p/open/suid", "tmp/p/open/s4"));
    TRY("link root's fifo", link("tmp/p/open/rfifo", "tmp/p/open/s5"));
    TRY("link own file", link("tmp/p/open/fifo", "tmp/p/open/s6"));
    TRY("whiteout rename", syscall(SYS_renameat2, AT_FDCWD, "tmp/p/open/fifo", AT_FDCWD,
                                   "tmp/p/open/fifo2", 4));
    struct stat s;
    if (lstat("tmp/p/open/fifo", &s) == 0) printf("  whiteout %s rdev %u,%u\n", S_ISCHR(s.st_mode) ? "chr" : "?",
                                                  major(s.st_rdev), minor(s.st_rdev));
}

int main(void) {
    umask(0);
    mkdir("tmp/p", 0755);
    mkdir("tmp/p/open", 0777);
    mkdir("tmp/p/open2", 0777);
    mkdir("tmp/p/nox", 0776);
    mkdir("tmp/p/nox/e", 0755);
    mkdir("tmp/p/sticky", 01777);
    mkdir("tmp/p/sticky/rootdir", 0755);
    mkdir("tmp/p/usticky", 01777);
    mk("tmp/p/rootfile", 0644);
    mk("tmp/p/open/rootfile", 0644);
    mk("tmp/p/open/secret", 0600);
    mk("tmp/p/open/shared", 0666);
    mk("tmp/p/open/suid", 04666);
    mknod("tmp/p/open/rfifo", S_IFIFO | 0666, 0);
    mk("tmp/p/sticky/rootfile", 0644);
    mk("tmp/p/usticky/rootfile", 0666);
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        // Own some things before dropping privileges: a file in the sticky dir, a dir in open/.
        if (setresgid(1000, 1000, 1000) || setresuid(1000, 1000, 1000)) { perror("setresuid"); _exit(2); }
        mk("tmp/p/sticky/minefile", 0644);
        mkdir("tmp/p/open/own", 0755);
        user();
        fflush(stdout);
        _exit(0);
    }
    int status;
    waitpid(pid, &status, 0);
    printf("child exited %d\n", WEXITSTATUS(status));
    printf("== as root again\n");
    TRY("unlink in sticky dir", unlink("tmp/p/sticky/rootdir/../rootfile"));
    TRY("mkdir in rw- dir", mkdir("tmp/p/nox/root", 0755));
    return 0;
}
