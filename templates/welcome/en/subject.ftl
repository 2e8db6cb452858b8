Welcome to Stream Routes, user ${user_id}!
