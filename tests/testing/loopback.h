// Loopback sockets for tests: ports from the kernel, never fixed ones.
#ifndef NETSHARD_TESTS_TESTING_LOOPBACK_H_
#define NETSHARD_TESTS_TESTING_LOOPBACK_H_

namespace netshard::testing {

// A 127.0.0.1 port the kernel just handed out and nobody listens on (a
// process started next may bind it; the race is the kernel's to lose).
int FreeLoopbackPort();

// A socket listening on 127.0.0.1 that never accepts: the kernel completes
// TCP handshakes from its backlog and then nothing is ever said. Returns
// the fd (the caller closes it) and sets *port.
int SilentLoopbackListener(int* port);

}  // namespace netshard::testing

#endif  // NETSHARD_TESTS_TESTING_LOOPBACK_H_
