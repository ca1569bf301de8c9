"""The OAuth client the emulator knows: tests, the demo and benchmarks use these (nothing here is a real secret)."""

CLIENT_ID = "1000.EMULATORCLIENT0000000000000000"
CLIENT_SECRET = "emulator0client0secret0000000000000000000"
REFRESH_TOKEN = "1000.emulatorrefresh00000000000000.00000000000000000000000000000000"
GRANT_CODE = "1000.emulatorgrantcode000000000000.00000000000000000000000000000000"
REDIRECT_URI = "http://127.0.0.1/oauth/callback"
