// Package onvif is camwall's ONVIF client: it finds devices with
// WS-Discovery (only when asked), reads a device's stream and snapshot
// addresses from its media service, and steers a PTZ camera.
//
// It speaks SOAP 1.2 with small typed messages over encoding/xml rather
// than a generated binding: camwall needs a dozen operations, and keeping
// them here keeps every reply bounded (maxReply), every parse free of
// entity expansion (encoding/xml never reads a DTD), and every failure
// worded for the user (Fault, ErrNotAuthorized).
//
// Addresses: a device is named by its device-service URL (XAddr), e.g.
// http://192.168.1.30/onvif/device_service, or by an onvif:// URL
// (ParseURL), which is how a camera's configuration and the command line
// name it.
package onvif
