/* capget and PR_CAPBSET_READ for root (kava's first process runs as root in the initial user
 * namespace; the host's container may hold fewer capabilities, so qemu cannot be the oracle).
 * The expected output is Linux's for a root process with every capability (native run in
 * `unshare -Ur`): kernel/capability.c cap_validate_magic (an unknown version is answered with
 * _LINUX_CAPABILITY_VERSION_3 and EINVAL, or 0 with a NULL data pointer), ESRCH for no such
 * pid, EINVAL for a negative one; kernel/sys.c PR_CAPBSET_READ (EINVAL past CAP_LAST_CAP). */
#include <errno.h>
#include <linux/capability.h>
#include <stdio.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

static long capget_(struct __user_cap_header_struct *h, struct __user_cap_data_struct *d) {
    long r = syscall(SYS_capget, h, d);
    return r < 0 ? -errno : r;
}

int main(void) {
    struct __user_cap_header_struct h = {_LINUX_CAPABILITY_VERSION_3, 0};
    struct __user_cap_data_struct d[2] = {{1, 1, 1}, {1, 1, 1}};
    long r = capget_(&h, d);
    printf("v3 self: %ld eff %08x %08x prm %08x %08x inh %08x %08x\n", r, d[0].effective, d[1].effective,
           d[0].permitted, d[1].permitted, d[0].inheritable, d[1].inheritable);
    h.version = _LINUX_CAPABILITY_VERSION_1;
    h.pid = getpid();
    d[1].effective = 7;
    r = capget_(&h, d);
    printf("v1 getpid: %ld eff %08x prm %08x inh %08x untouched %x\n", r, d[0].effective, d[0].permitted, d[0].inheritable, d[1].effective);
    h.version = 0x12345678;
    r = capget_(&h, d);
    printf("bad version: %ld version %08x\n", r, h.version);
    h.version = 0x12345678;
    r = capget_(&h, NULL);
    printf("bad version, no data: %ld version %08x\n", r, h.version);
    h.version = _LINUX_CAPABILITY_VERSION_3;
    h.pid = -1;
    printf("pid -1: %ld\n", capget_(&h, d));
    h.pid = 0x3fffff00;
    printf("no such pid: %ld\n", capget_(&h, d));
    printf("no data: %ld\n", capget_(&h, NULL));
    printf("bad header: %ld\n", capget_((void *)16, d));
    for (int cap = -1; cap <= 42; cap += (cap == 1 ? 38 : 1)) {
        int v = prctl(PR_CAPBSET_READ, cap, 0, 0, 0);
        printf("capbset %d: %d %d\n", cap, v, v < 0 ? errno : 0);
    }
    return 0;
}
