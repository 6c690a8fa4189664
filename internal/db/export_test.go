package db

// SetPreparedLimit changes how many statements conn (a driver connection
// from sql.Conn.Raw) keeps prepared.
func SetPreparedLimit(conn any, n int) { conn.(*preparedConn).max = n }
