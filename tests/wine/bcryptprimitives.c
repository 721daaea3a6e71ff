/* The one function of Windows 10's bcryptprimitives.dll that Rust's standard library
 * imports (ProcessPrng, for random bytes), which Debian 12's Wine 8 lacks. The package
 * tests put this into their throwaway Wine prefix only; real Windows has its own and
 * the installer never carries it. Built with mingw-w64:
 *   x86_64-w64-mingw32-gcc -shared -o bcryptprimitives.dll bcryptprimitives.c -ladvapi32
 */
#include <windows.h>
#include <ntsecapi.h>

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length) {
  while (length > 0) {
    ULONG chunk = length > 0x10000000 ? 0x10000000 : (ULONG)length;
    if (!RtlGenRandom(data, chunk)) return FALSE;
    data += chunk;
    length -= chunk;
  }
  return TRUE;
}
