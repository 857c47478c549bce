package api

// Rate-control policies of destinations and transfers.
const (
	PolicyFair  = "fair"
	PolicyFixed = "fixed"
	PolicyLow   = "low"
)

// Destination is a receiving server as seen by the sender.
type Destination struct {
	DestinationID            string         `json:"destinationId"`
	DestinationAddress       string         `json:"destinationAddress"`
	DestinationIP            string         `json:"destinationIP"`
	DestinationPort          int            `json:"destinationPort"`
	DestinationAPIPort       int            `json:"destinationApiPort"`
	DestinationPublicKey     string         `json:"destinationPublicKey,omitempty"`
	ConnectionID             string         `json:"connectionId"`
	EncryptionEnabled        bool           `json:"encryptionEnabled"`
	EncryptedConnectionState string         `json:"encryptedConnectionState"`
	SendRateMax              float64        `json:"sendRateMax"` // kbit/s, 0 = unlimited
	MinRate                  float64        `json:"minRate"`     // kbit/s
	Policy                   string         `json:"policy"`
	LocalPort                int            `json:"localPort,omitempty"`
	UserName                 string         `json:"userName,omitempty"`
	LastDestinationServerID  string         `json:"lastDestinationServerId,omitempty"`
	LastDestinationServerUID string         `json:"lastDestinationServerUid,omitempty"`
	LastError                string         `json:"lastError,omitempty"`
	LastErrorMessage         string         `json:"lastErrorMessage,omitempty"`
	LastRecvTime             *int64         `json:"lastRecvTime"`
	LastSendTime             *int64         `json:"lastSendTime"`
	NumTransfersQueued       int            `json:"numTransfersQueued"`
	Owner                    string         `json:"owner"`
	OwnerToken               string         `json:"ownerToken,omitempty"`
	UserData                 map[string]any `json:"userData,omitempty"`
}

// Connection adds live network state to a Destination.
type Connection struct {
	Destination
	RateControllerActive bool    `json:"rateControllerActive"`
	RateControlMethod    string  `json:"rateControlMethod"`
	RoundTripTimeMs      float64 `json:"roundTripTimeMs"`
	CurrentRate          float64 `json:"currentRate"` // kbit/s
	RelayIP              string  `json:"relayIP,omitempty"`
	RelayPort            int     `json:"relayPort,omitempty"`
}

// Manifest statuses.
const (
	ManifestPending  = "pending"
	ManifestComplete = "complete"
	ManifestError    = "error"
)

// Manifest is a set of files to send.
type Manifest struct {
	ManifestID   string         `json:"manifestId"`
	Status       string         `json:"status"`
	Processing   bool           `json:"processing"`
	TotalFiles   *int64         `json:"totalFiles"`
	TotalSize    *int64         `json:"totalSize"`
	ErrorMessage *string        `json:"errorMessage"`
	Owner        string         `json:"owner"`
	OwnerToken   string         `json:"ownerToken,omitempty"`
	CreationTime int64          `json:"creationTime"`
	UserData     map[string]any `json:"userData,omitempty"`
}

// FileMapping is one file of a manifest.
type FileMapping struct {
	SrcPath          string `json:"srcPath"`
	DestPath         string `json:"destPath"`
	FileSize         int64  `json:"fileSize"`
	IsEmptyDir       bool   `json:"isEmptyDir"`
	Executable       bool   `json:"executable"`
	ModificationTime int64  `json:"modificationTime"` // Unix seconds
	Mode             uint32 `json:"mode"`
}

// ManifestFiles is the result of getManifestFiles.
type ManifestFiles struct {
	ManifestID   string        `json:"manifestId"`
	FileMappings []FileMapping `json:"fileMappings"`
}

// Transfer statuses.
// DefaultPriority is a new transfer's priority; lower numbers run first
// (the product sends 100 before 120).
const DefaultPriority = 100

const (
	TransferPending   = "pending"
	TransferActive    = "active"
	TransferSuspended = "suspended"
	TransferComplete  = "complete"
	TransferCancelled = "cancelled"
	TransferError     = "error"
)

// Overwrite modes (the product's constants).
const (
	OverwriteInPlaceNever    = 0
	OverwriteInPlaceAlways   = 1
	OverwriteInPlaceSameSize = 2
	OverwriteNever           = 3 // partfile, never overwrite
	OverwriteAlways          = 4 // partfile, then overwrite
	OverwriteBackup          = 5 // partfile, overwrite, keep old as .jetbak
)

// Minimum cipher levels.
const (
	CipherNone     = 0
	CipherAuthOnly = 1
	CipherAES128   = 2
	CipherAES256   = 3
)

// Transfer flags.
const (
	TransferFlagNone     = 0
	TransferFlagRead     = 1 << 0
	TransferFlagWrite    = 1 << 1
	TransferFlagsDefault = TransferFlagRead | TransferFlagWrite
)

// Transfer is the send-side Transfer structure.
type Transfer struct {
	TransferID                 string         `json:"transferId"`
	DestinationID              string         `json:"destinationId"`
	ManifestID                 string         `json:"manifestId"`
	DestinationPath            string         `json:"destinationPath"`
	Status                     string         `json:"status"`
	Processing                 bool           `json:"processing"`
	ErrorMessage               *string        `json:"errorMessage"`
	Priority                   int            `json:"priority"` // lower runs first
	CheckpointFrequencySeconds int            `json:"checkpointFrequencySeconds"`
	Overwrite                  int            `json:"overwrite"`
	MinCipher                  int            `json:"minCipher"`
	TransferFlags              int            `json:"transferFlags"`
	SendRateMax                float64        `json:"sendRateMax"`
	MinRate                    float64        `json:"minRate"`
	Policy                     string         `json:"policy"`
	BlockSize                  int            `json:"blockSize"`
	TotalBlocks                int64          `json:"totalBlocks"`
	TotalBytes                 int64          `json:"totalBytes"`
	TotalFiles                 int64          `json:"totalFiles"`
	BlocksSent                 int64          `json:"blocksSent"`
	BlocksAcked                int64          `json:"blocksAcked"`
	BlocksRetransmitted        int64          `json:"blocksRetransmitted"`
	BytesSent                  int64          `json:"bytesSent"`
	BytesAcked                 int64          `json:"bytesAcked"`
	BytesRecv                  int64          `json:"bytesRecv"`
	PacketsSent                int64          `json:"packetsSent"`
	PacketsRecv                int64          `json:"packetsRecv"`
	FilesDone                  int64          `json:"filesDone"`
	FilesFailed                int64          `json:"filesFailed"`
	CurrentRate                float64        `json:"currentRate"` // kbit/s
	RoundTripTimeMs            float64        `json:"roundTripTimeMs"`
	CurrentFile                string         `json:"currentFile,omitempty"`
	RequestTime                int64          `json:"requestTime"`
	QueueTime                  *int64         `json:"queueTime"`
	StartTime                  *int64         `json:"startTime"`
	EndTime                    *int64         `json:"endTime"`
	SnapshotTime               int64          `json:"snapshotTime"`
	Owner                      string         `json:"owner"`
	OwnerToken                 string         `json:"ownerToken,omitempty"`
	UserData                   map[string]any `json:"userData,omitempty"`
}
