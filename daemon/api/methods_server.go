package api

// Pseudo-methods of the transport itself.
const (
	MethodWatch   = "watch"
	MethodUnwatch = "unwatch"
)

var serverMethods = []Method{
	{Name: "auth", NoAuth: true, Doc: "Authenticate a user (synchronous).", Params: []Param{
		{Name: "userName", Type: TString, Required: true, Doc: "user name on the server"},
		{Name: "password", Type: TString, Required: true, Doc: "the user's password"},
	}},
	{Name: "authAsync", NoAuth: true, Async: true, Doc: "Authenticate a user; the result is empty on success.", Params: []Param{
		{Name: "userName", Type: TString, Doc: "user name; must be absent when token is set"},
		{Name: "password", Type: TString, Doc: "password of the user or token"},
		{Name: "token", Type: TString, Doc: "shared token (not enabled on this server)"},
		{Name: "tokenSession", Type: TString, Doc: "token session to join"},
	}},
	{Name: "authToken", NoAuth: true, Doc: "Authenticate with a shared token.", Params: []Param{
		{Name: "token", Type: TString, Required: true, Doc: "shared token"},
		{Name: "password", Type: TString, Doc: "token password"},
		{Name: "tokenSession", Type: TString, Doc: "token session to join"},
	}},
	{Name: MethodServerKeyChallenge, NoAuth: true, Doc: "Nonce for authServerKey (a sending server logging in by its key)."},
	{Name: MethodAuthServerKey, NoAuth: true, Doc: "Log in as a sending server whose key is authorised here (recv.addAuthorizedClientAsync); the session may only receive files.", Params: []Param{
		{Name: "clientPublicKey", Type: TString, Required: true, Doc: "the sender's publicKey (ed25519:...)"},
		{Name: "signature", Type: TString, Required: true, Doc: "base64 ed25519 signature over the challenge message bound to this TLS connection"},
	}},
	{Name: "echo", Doc: "Return the given text (keep-alive check).", Params: []Param{
		{Name: "text", Type: TString, Doc: "text to echo"},
	}},
	{Name: "getServerInfo", NoAuth: true, Doc: "Server Information Structure; no authentication needed."},
	{Name: "getEventLog", Doc: "Event log, oldest first; own events unless superuser.", Params: []Param{
		{Name: "eventName", Type: TString, Doc: "only this event type"},
		{Name: "before", Type: TInt, Doc: "only events before this time (Unix µs)"},
		{Name: "after", Type: TInt, Doc: "only events after this time (Unix µs)"},
		{Name: "limit", Type: TInt, Doc: "at most this many (the newest)"},
	}},
	{Name: "getRequestStatus", NoAuth: true, Doc: "Status of an asynchronous request.", Params: []Param{
		{Name: "requestId", Type: TAny, Required: true, Doc: "request id or Request Structure"},
	}},
	{Name: "getRequestResult", NoAuth: true, Doc: "Result of an asynchronous request; blocks until it is done.", Params: []Param{
		{Name: "requestId", Type: TAny, Required: true, Doc: "request id or Request Structure"},
		{Name: "timeoutSeconds", Type: TFloat, Doc: "give up after this long (default: wait)"},
	}},
	{Name: "getSandboxMappings", Superuser: true, Doc: "Sandbox mappings of all users."},
	{Name: "setSandboxMapping", Superuser: true, Doc: "Set a user's sandbox roots (\"\" = system sandbox); new sessions only.", Params: []Param{
		{Name: "userName", Type: TString, Required: true, Doc: "user, or \"\" for the system sandbox"},
		{Name: "sandboxRoots", Type: TAny, Required: true, Doc: "{name: path} (name \"\" = default root), or false for no sandbox"},
	}},
	{Name: "deleteSandboxMapping", Superuser: true, Doc: "Delete a user's sandbox mapping; new sessions only.", Params: []Param{
		{Name: "userName", Type: TString, Required: true, Doc: "user, or \"\" for the system sandbox"},
	}},
	{Name: "lsRootsAsync", Async: true, Doc: "List the roots visible to the user."},
	{Name: "lsAsync", Async: true, Doc: "List a directory (or stat it with directory=true).", Params: []Param{
		{Name: "path", Type: TString, Required: true, Doc: "path to list"},
		{Name: "directory", Type: TBool, Doc: "stat the directory itself"},
	}},
	{Name: "duAsync", Async: true, Doc: "Total size in bytes of the files under a path.", Params: []Param{
		{Name: "path", Type: TString, Required: true, Doc: "path to measure"},
	}},
	{Name: "mkdirAsync", Async: true, Doc: "Create a directory and its parents; no error if it exists.", Params: []Param{
		{Name: "path", Type: TString, Required: true, Doc: "directory to create"},
	}},
	{Name: "mvAsync", Async: true, Doc: "Move or rename a path.", Params: []Param{
		{Name: "path", Type: TString, Required: true, Doc: "path to move"},
		{Name: "newPath", Type: TString, Required: true, Doc: "new path"},
	}},
	{Name: "rmAsync", Async: true, Doc: "Remove a path; directories recursively.", Params: []Param{
		{Name: "path", Type: TString, Required: true, Doc: "path to remove"},
	}},
	{Name: "recvDiscoverPacketAsync", Async: true, Doc: "Wait for a discover packet; returns a discoverId.", Params: []Param{
		{Name: "timeoutSeconds", Type: TFloat, Doc: "how long to wait (default 10)"},
	}},
	{Name: "sendDiscoverPacketAsync", Async: true, Doc: "Send discover packets to a waiting server.", Params: []Param{
		{Name: "discoverId", Type: TString, Required: true, Doc: "id from recvDiscoverPacketAsync"},
		{Name: "destinationAddress", Type: TString, Required: true, Doc: "address of the waiting server"},
		{Name: "destinationPort", Type: TInt, Doc: "its UDP receive port (default 8886)"},
	}},
	{Name: "setLicenseKeyAsync", Superuser: true, Async: true, Doc: "Store a licence key (this server needs none).", Params: []Param{
		{Name: "key", Type: TString, Required: true, Doc: "licence key"},
		{Name: "validate", Type: TBool, Doc: "validate with a licence server (not available)"},
	}},
	{Name: "getThirdPartyLicenses", Doc: "Licences of the third-party modules in this build."},
	{Name: "garbageCollect", Superuser: true, Doc: "Run garbage collection now.", Params: []Param{
		{Name: "force", Type: TBool, Doc: "ignore the grace period"},
	}},
	{Name: "getGarbageCollectSettings", Superuser: true, Doc: "Garbage Collect Structure."},
	{Name: "updateGarbageCollectSettings", Superuser: true, Doc: "Change GC settings; returns the Garbage Collect Structure.", Params: []Param{
		{Name: "intervalSeconds", Type: TInt, Doc: "seconds between runs (60 to 2147483647)"},
		{Name: "timeLimitSeconds", Type: TInt, Doc: "grace period in seconds (0 to 2147483647)"},
	}},
	{Name: "sleep", Superuser: true, Doc: "Sleep on the server.", Params: []Param{
		{Name: "milliseconds", Type: TInt, Required: true, Doc: "how long (0 to 3600000)"},
	}},
	{Name: "terminate", Superuser: true, Doc: "Stop the server gracefully."},
	{Name: "superuser", Doc: "Raise this session to superuser (eligible users only)."},
	{Name: "updateBandwidthLimits", Superuser: true, Doc: "Server-wide bandwidth caps in kbit/s; None = unchanged.", Params: []Param{
		{Name: "incomingLimitActive", Type: TBool, Doc: "apply the incoming limit"},
		{Name: "incomingRateLimit", Type: TFloat, Doc: "incoming cap, kbit/s"},
		{Name: "incomingMaxConnections", Type: TInt, Doc: "maximum incoming connections (0 = unlimited)"},
		{Name: "borrowOutgoing", Type: TBool, Doc: "let incoming borrow unused outgoing bandwidth"},
		{Name: "outgoingLimitActive", Type: TBool, Doc: "apply the outgoing limit"},
		{Name: "outgoingRateLimit", Type: TFloat, Doc: "outgoing cap, kbit/s"},
		{Name: "borrowIncoming", Type: TBool, Doc: "let outgoing borrow unused incoming bandwidth"},
	}},
	{Name: "getBandwidthLimits", Doc: "Current server-wide bandwidth caps."},
}
