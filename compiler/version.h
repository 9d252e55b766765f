/* version.h - the release number, printed by --version and written into SARIF. */
#ifndef SPARKC_VERSION
#define SPARKC_VERSION "0.1.0"
#endif
