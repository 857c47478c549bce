package api

var recvMethods = []Method{
	{Name: "recv.getTransfersAsync", Async: true, Doc: "Incoming transfers."},
	{Name: "recv.getSourcesAsync", Async: true, Doc: "Sending servers connected to this receiver."},
	{Name: "recv.addAuthorizedClientAsync", Superuser: true, Async: true, Doc: "Trust a sending server's public key.", Params: []Param{
		{Name: "clientPublicKey", Type: TAny, Required: true, Doc: "key string or {clientPublicKey: key}"},
		{Name: "userName", Type: TString, Doc: "account whose sandbox its transfers land in (default: the caller)"},
	}},
	{Name: "recv.removeAuthorizedClientAsync", Superuser: true, Async: true, Doc: "Stop trusting a sending server's key.", Params: []Param{
		{Name: "clientPublicKey", Type: TAny, Required: true, Doc: "key string or {clientPublicKey: key}"},
	}},
	{Name: "recv.allowOnlyAuthorizedClientsAsync", Superuser: true, Async: true, Doc: "Accept senders only by authorised key.", Params: []Param{
		{Name: "onlyAuthorizedClientsAllowed", Type: TBool, Required: true, Doc: "true to refuse password logins of senders"},
	}},
	{Name: "recv.createTicket", Doc: "Open an upload session: the caller sends files to this server.", Params: []Param{
		{Name: "destinationPath", Type: TString, Doc: "path prefix in the caller's sandbox"},
		{Name: "overwrite", Type: TInt, Doc: "overwrite mode 0-5"},
		{Name: "minCipher", Type: TInt, Doc: "cipher level 0-3"},
		{Name: "transferKey", Type: TString, Required: true, Doc: "stable id for resuming"},
		{Name: "transferId", Type: TString, Doc: "sender's transfer id (for events and triggers)"},
		{Name: "totalSize", Type: TInt, Doc: "bytes the sender will send"},
		{Name: "checkpointFrequencySeconds", Type: TInt, Doc: "checkpoint interval"},
		{Name: "transferFlags", Type: TInt, Doc: "bit 1 write (0 = discard)"},
		{Name: "userData", Type: TObject, Doc: "transfer userData for triggers"},
		{Name: "conv", Type: TInt, Doc: "proposed conversation id 1-4294967295 (with key): the caller may send its hello before the answer"},
		{Name: "key", Type: TString, Doc: "proposed session key, 32 bytes in standard base64 (with conv)"},
	}},
}
