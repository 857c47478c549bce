package api

// ServerInfo is the Server Information Structure returned by getServerInfo.
type ServerInfo struct {
	AllowRemoteControl    bool              `json:"allowRemoteControl"`
	APIControlPort        int               `json:"apiControlPort"`
	APITokensAvailable    bool              `json:"APITokensAvailable"`
	APIVersion            int               `json:"apiVersion"`
	AuthRequired          bool              `json:"authRequired"`
	BandwidthLimits       *BandwidthLimits  `json:"bandwidthLimits,omitempty"`
	CertificateValidation bool              `json:"certificateValidation"`
	Configuration         map[string]any    `json:"configuration,omitempty"` // superuser only
	EncryptionAvailable   bool              `json:"encryptionAvailable"`
	EventLogAvailable     bool              `json:"eventLogAvailable"`
	HostName              string            `json:"hostName"`
	License               License           `json:"license"`
	MinCipher             int               `json:"minCipher"`
	MultiplexAvailable    bool              `json:"multiplexAvailable"`
	PublicKey             string            `json:"publicKey"`
	Receiver              ReceiverInfo      `json:"receiver"`
	Revision              string            `json:"revision"`
	ServerExternalAddress string            `json:"serverExternalAddress,omitempty"`
	ServerID              string            `json:"serverId"`
	ServerName            string            `json:"serverName"`
	ServerUID             string            `json:"serverUid"`
	UserName              string            `json:"userName,omitempty"`
	Superuser             bool              `json:"superuser"`
	Sandbox               map[string]string `json:"sandbox,omitempty"`
	Version               string            `json:"version"`
	TokenSession          string            `json:"tokenSession,omitempty"`
	Telemetry             bool              `json:"telemetry"`
}

// License describes licensing. This server needs no licence.
type License struct {
	Required bool   `json:"required"`
	KeySet   bool   `json:"keySet"`
	Message  string `json:"message"`
}

// ReceiverInfo is the Receiver Server Information part of ServerInfo.
type ReceiverInfo struct {
	RecvPort                     int            `json:"recvPort"`
	OnlyAuthorizedClientsAllowed bool           `json:"onlyAuthorizedClientsAllowed"`
	DataPort                     *DataPortStats `json:"dataPort,omitempty"`
}

// RequestRef is the Request Structure returned by every *Async method.
type RequestRef struct {
	RequestID  int64  `json:"requestId"`
	DiscoverID string `json:"discoverId,omitempty"`
}

// Request statuses of RequestStatus.Status.
const (
	RequestPending = "pending"
	RequestSuccess = "success"
	RequestError   = "error"
)

// RequestStatus is returned by getRequestStatus.
type RequestStatus struct {
	RequestID    int64     `json:"requestId"`
	Processing   bool      `json:"processing"`
	Status       string    `json:"status"`
	ErrorMessage string    `json:"errorMessage,omitempty"`
	ErrorCode    ErrorCode `json:"errorCode,omitempty"`
}

// File types in ls results.
const (
	FileTypeDirectory = 2
	FileTypeRegular   = 4
	FileTypeSymlink   = 5
	FileTypeDrive     = 8
	FileTypeRoot      = FileTypeDrive | FileTypeDirectory
)

// Access bits in ls results.
const (
	AccessRead  = 1 << 2
	AccessWrite = 1 << 1
	AccessExec  = 1 << 0
)

// FileEntry is one item of an ls result.
type FileEntry struct {
	Name   string `json:"name"`
	Type   int    `json:"type"`
	Size   int64  `json:"size"`
	Mtime  int64  `json:"mtime"` // Unix seconds
	Access int    `json:"access"`
}

// LsResult is the result of lsAsync and lsRootsAsync.
type LsResult struct {
	Path  string      `json:"path"`
	Files []FileEntry `json:"files"`
}

// DuResult is the result of duAsync.
type DuResult struct {
	Du int64 `json:"du"`
}

// DiscoverPacket is the result of recvDiscoverPacketAsync.
type DiscoverPacket struct {
	Address string `json:"address"`
	Port    int    `json:"port"`
}

// DiscoverSent is the result of sendDiscoverPacketAsync.
type DiscoverSent struct {
	DiscoverPacketSent bool `json:"discoverPacketSent"`
}

// GarbageCollect is the Garbage Collect Structure.
type GarbageCollect struct {
	IntervalSeconds  int64 `json:"intervalSeconds"`
	TimeLimitSeconds int64 `json:"timeLimitSeconds"`
}

// GC settings ranges.
const (
	GCIntervalMin  = 60
	GCIntervalMax  = 2147483647
	GCTimeLimitMax = 2147483647
)

// BandwidthLimits are the server-wide caps (kbit/s).
type BandwidthLimits struct {
	IncomingLimitActive    bool     `json:"incomingLimitActive"`
	IncomingRateLimit      float64  `json:"incomingRateLimit"`
	IncomingMaxConnections int      `json:"incomingMaxConnections"`
	BorrowOutgoing         bool     `json:"borrowOutgoing"`
	OutgoingLimitActive    bool     `json:"outgoingLimitActive"`
	OutgoingRateLimit      float64  `json:"outgoingRateLimit"`
	BorrowIncoming         bool     `json:"borrowIncoming"`
	Locked                 []string `json:"locked,omitempty"` // fields set on the command line
}

// EventLog is the result of getEventLog.
type EventLog struct {
	EventLog []Event `json:"eventLog"`
}
