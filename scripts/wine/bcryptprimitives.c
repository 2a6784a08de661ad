/*
 * A stand-in for Windows 10's bcryptprimitives.dll, for the Wine test
 * prefix only (scripts/wine-prefix.sh); it is never shipped. Go's runtime
 * loads bcryptprimitives.dll from system32 for ProcessPrng and stops when it
 * is missing, which it is in Wine 8.0; this one answers from advapi32's
 * RtlGenRandom (SystemFunction036), which Wine has.
 */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T size)
{
	while (size > 0) {
		ULONG n = size > 0x10000000 ? 0x10000000 : (ULONG)size;
		if (!SystemFunction036(data, n))
			return FALSE;
		data += n;
		size -= n;
	}
	return TRUE;
}
