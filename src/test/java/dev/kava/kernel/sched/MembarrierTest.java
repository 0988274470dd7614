package dev.kava.kernel.sched;

import org.junit.jupiter.api.Test;

import static dev.kava.abi.Membarrier.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

class MembarrierTest {
    @Test
    void queryListsEveryCommand() {
        assertEquals(0x3ff, Membarrier.CMD_BITMASK);
    }

    @Test
    void registrationsAsLinuxReportsThem() {
        assertEquals(0, Membarrier.registrations(0));
        // Registering SYNC_CORE also marks PRIVATE_EXPEDITED (not ready), which GET_REGISTRATIONS reports.
        int st = Membarrier.STATE_PRIVATE_EXPEDITED | Membarrier.STATE_PRIVATE_EXPEDITED_SYNC_CORE
                | Membarrier.STATE_PRIVATE_EXPEDITED_SYNC_CORE_READY;
        assertEquals(MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED | MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_SYNC_CORE,
                Membarrier.registrations(st));
    }
}
