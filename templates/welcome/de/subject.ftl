Willkommen bei Stream Routes, Benutzer ${user_id}!
