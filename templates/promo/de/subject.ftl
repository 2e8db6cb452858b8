Ein besonderes Angebot für Sie, Benutzer ${user_id}
