/// Which input of a join a record or stored entry came from.
package enum JoinSide: UInt8, Sendable {
    case left = 0
    case right = 1
}
